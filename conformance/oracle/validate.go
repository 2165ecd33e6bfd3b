package main

import (
	"context"
	"fmt"
	"os"

	wfv1 "github.com/argoproj/argo-workflows/v3/pkg/apis/workflow/v1alpha1"
	"github.com/argoproj/argo-workflows/v3/workflow/common"
	"github.com/argoproj/argo-workflows/v3/workflow/validate"
)

// templateSet is the in-memory template getter `argo lint --offline` builds over its files
// (pkg/apiclient/offline-client.go): WorkflowTemplates by namespace and name, and
// ClusterWorkflowTemplates by name.
type templateSet struct {
	wfts  map[string]map[string]*wfv1.WorkflowTemplate
	cwfts map[string]*wfv1.ClusterWorkflowTemplate
}

type nsGetter struct {
	ns  string
	set *templateSet
}

func (g nsGetter) Get(name string) (*wfv1.WorkflowTemplate, error) {
	if t, ok := g.set.wfts[g.ns][name]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("couldn't find workflow template %q in namespace %q", name, g.ns)
}

type clusterGetter struct{ set *templateSet }

func (g clusterGetter) Get(name string) (*wfv1.ClusterWorkflowTemplate, error) {
	if t, ok := g.set.cwfts[name]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("couldn't find cluster workflow template %q", name)
}

func (s *templateSet) ns(namespace string) nsGetter { return nsGetter{ns: namespace, set: s} }

func newTemplateSet() *templateSet {
	return &templateSet{wfts: map[string]map[string]*wfv1.WorkflowTemplate{}, cwfts: map[string]*wfv1.ClusterWorkflowTemplate{}}
}

func (s *templateSet) add(obj any) {
	switch v := obj.(type) {
	case *wfv1.WorkflowTemplate:
		if s.wfts[v.Namespace] == nil {
			s.wfts[v.Namespace] = map[string]*wfv1.WorkflowTemplate{}
		}
		s.wfts[v.Namespace][v.Name] = v
	case *wfv1.ClusterWorkflowTemplate:
		s.cwfts[v.Name] = v
	}
}

type parsed struct {
	file string
	obj  common.ParseResult
}

// parseWorkflowKinds parses files with argo's own parser (common.ParseObjects, strict as
// `argo lint` defaults to), keeping the argo kinds.
func parseWorkflowKinds(files []string) ([]parsed, error) {
	var out []parsed
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, pr := range common.ParseObjects(data, true) {
			if pr.Object == nil {
				continue
			}
			out = append(out, parsed{file: f, obj: pr})
		}
	}
	return out, nil
}

type validateResult struct {
	File      string `json:"file"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	Valid     bool   `json:"valid"`
	Error     any    `json:"error"`
}

// lintObject runs what the offline lint service clients run for one object.
func lintObject(set *templateSet, obj any, parseErr error, wfDefaults *wfv1.Workflow, opts *validate.ValidateOpts) (string, error) {
	switch v := obj.(type) {
	case *wfv1.Workflow:
		if parseErr != nil {
			return "Workflow", parseErr
		}
		o := validate.ValidateOpts{Lint: true}
		if opts != nil {
			o = *opts
		}
		return "Workflow", validate.ValidateWorkflow(set.ns(v.Namespace), clusterGetter{set}, v, wfDefaults, o)
	case *wfv1.WorkflowTemplate:
		if parseErr != nil {
			return "WorkflowTemplate", parseErr
		}
		o := validate.ValidateOpts{Lint: true}
		if opts != nil {
			o = *opts
		}
		return "WorkflowTemplate", validate.ValidateWorkflowTemplate(set.ns(v.Namespace), clusterGetter{set}, v, wfDefaults, o)
	case *wfv1.ClusterWorkflowTemplate:
		if parseErr != nil {
			return "ClusterWorkflowTemplate", parseErr
		}
		o := validate.ValidateOpts{Lint: true}
		if opts != nil {
			o = *opts
		}
		return "ClusterWorkflowTemplate", validate.ValidateClusterWorkflowTemplate(nil, clusterGetter{set}, v, wfDefaults, o)
	case *wfv1.CronWorkflow:
		if parseErr != nil {
			return "CronWorkflow", parseErr
		}
		return "CronWorkflow", validate.ValidateCronWorkflow(context.Background(), set.ns(v.Namespace), clusterGetter{set}, v, wfDefaults)
	}
	return "", nil
}

func yamlFiles(dirs []string) ([]string, error) {
	docs, err := loadDocs(dirs...)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var files []string
	for _, d := range docs {
		if !seen[d.File] {
			seen[d.File] = true
			files = append(files, d.File)
		}
	}
	return files, nil
}

func runValidate(dirs []string) (any, error) {
	files, err := yamlFiles(dirs)
	if err != nil {
		return nil, err
	}
	objs, err := parseWorkflowKinds(files)
	if err != nil {
		return nil, err
	}
	set := newTemplateSet()
	for _, p := range objs {
		if p.obj.Err == nil {
			set.add(p.obj.Object)
		}
	}
	results := []validateResult{}
	for _, p := range objs {
		kind, verr := lintObject(set, p.obj.Object, p.obj.Err, nil, nil)
		if kind == "" {
			continue
		}
		results = append(results, validateResult{
			File: p.file, Kind: kind, Name: p.obj.Object.GetName(), Namespace: p.obj.Object.GetNamespace(),
			Valid: verr == nil, Error: errString(verr),
		})
	}
	return map[string]any{"versions": versions(), "results": results}, nil
}
