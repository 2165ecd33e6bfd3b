package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	wfv1 "github.com/argoproj/argo-workflows/v3/pkg/apis/workflow/v1alpha1"
	"github.com/argoproj/argo-workflows/v3/util/template"
	"github.com/argoproj/argo-workflows/v3/workflow/common"
	wfutil "github.com/argoproj/argo-workflows/v3/workflow/util"
	"github.com/argoproj/argo-workflows/v3/workflow/validate"
	apiv1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// configMaps is the controller's ConfigMap informer store over the ConfigMaps in the folder.
type configMaps map[string]*apiv1.ConfigMap

func (c configMaps) GetByKey(key string) (any, bool, error) {
	cm, ok := c[key]
	return cm, ok, nil
}

type resolvedStep struct {
	Path     string         `json:"path"`
	Template string         `json:"template"`
	Resolved *wfv1.Template `json:"resolved,omitempty"`
	Manifest any            `json:"manifest,omitempty"`
	Env      []envValue     `json:"env,omitempty"`
	Error    any            `json:"error"`
	Note     string         `json:"note,omitempty"`
}

type envValue struct {
	Container string `json:"container"`
	Name      string `json:"name"`
	Value     string `json:"value"`
}

type substituteResult struct {
	Versions  map[string]string `json:"versions"`
	Workflow  string            `json:"workflow"`
	Valid     bool              `json:"valid"`
	Error     any               `json:"error"`
	Arguments []wfv1.Parameter  `json:"arguments"`
	Steps     []resolvedStep    `json:"steps"`
}

// The fixed facts of the fake controller run (the uid and creation time of the Workflow).
const fakeUID = "00000000-0000-0000-0000-000000000000"

var fakeCreation = time.Date(2024, 7, 15, 12, 0, 0, 0, time.UTC)

// taskOutputs stands in for what a DAG task reported when it ended (its `outputs.result` and
// output parameters): the oracle runs no pod, so the caller says what each task produced.
type taskOutputs struct {
	Result     *string           `json:"result,omitempty"`
	Parameters map[string]string `json:"parameters,omitempty"`
}

// splitOutputs takes `--outputs FILE` (task name -> taskOutputs) out of the substitute arguments.
func splitOutputs(args []string) ([]string, map[string]taskOutputs, error) {
	rest := []string{}
	var outputs map[string]taskOutputs
	for i := 0; i < len(args); i++ {
		if args[i] != "--outputs" {
			rest = append(rest, args[i])
			continue
		}
		if i+1 >= len(args) {
			return nil, nil, fmt.Errorf("--outputs needs a file")
		}
		data, err := os.ReadFile(args[i+1])
		if err != nil {
			return nil, nil, err
		}
		if err := json.Unmarshal(data, &outputs); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", args[i+1], err)
		}
		i++
	}
	return rest, outputs, nil
}

func runSubstitute(wfPath string, dirs []string) (any, error) {
	dirs, outputs, err := splitOutputs(dirs)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(wfPath)
	if err != nil {
		return nil, err
	}
	var wf wfv1.Workflow
	if err := json.Unmarshal(data, &wf); err != nil {
		return nil, err
	}
	if wf.Name == "" {
		wf.Name = wf.GenerateName + "oracle"
	}
	wf.UID = fakeUID
	wf.CreationTimestamp = metav1.Time{Time: fakeCreation}
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
	cms := configMaps{}
	docs, err := loadDocs(dirs...)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if d.Kind == "ConfigMap" {
			var cm apiv1.ConfigMap
			if json.Unmarshal(d.JSON, &cm) == nil {
				cms[cm.Namespace+"/"+cm.Name] = &cm
			}
		}
	}
	res := substituteResult{Versions: versions(), Workflow: wf.Name, Steps: []resolvedStep{}}
	// What the controller does on its first operation of a Workflow (workflow/controller/operator.go):
	// validate it, join the spec with the referenced WorkflowTemplate's, set the global parameters,
	// substitute them into the spec (templates aside), then process each template it runs with
	// common.ProcessArgs.
	if err := validate.ValidateWorkflow(set.ns(wf.Namespace), clusterGetter{set}, &wf, nil, validate.ValidateOpts{}); err != nil {
		res.Error = err.Error()
		return res, nil
	}
	res.Valid = true
	var wftSpec *wfv1.WorkflowSpec
	if wf.Spec.WorkflowTemplateRef != nil {
		wft, err := set.ns(wf.Namespace).Get(wf.Spec.WorkflowTemplateRef.Name)
		if err != nil {
			res.Error = err.Error()
			return res, nil
		}
		wftSpec = &wft.Spec
	}
	exec, err := wfutil.JoinWorkflowSpec(&wf.Spec, wftSpec, nil)
	if err != nil {
		res.Error = err.Error()
		return res, nil
	}
	exec.ObjectMeta = wf.ObjectMeta
	globals, err := globalParams(exec, cms)
	if err != nil {
		res.Error = err.Error()
		return res, nil
	}
	spec := exec.Spec.DeepCopy()
	spec.Templates = nil
	specJSON, _ := json.Marshal(spec)
	replaced, err := template.Replace(string(specJSON), template.ToAnyMap(globals), true)
	if err != nil {
		res.Error = "substituting global variables: " + err.Error()
		return res, nil
	}
	templates := exec.Spec.Templates
	if err := json.Unmarshal([]byte(replaced), &exec.Spec); err != nil {
		res.Error = err.Error()
		return res, nil
	}
	exec.Spec.Templates = templates
	res.Arguments = exec.Spec.Arguments.Parameters
	w := walker{set: set, cms: cms, globals: globals, ns: wf.Namespace, local: exec.Spec.Templates, outputs: outputs}
	entry := exec.Spec.Entrypoint
	w.walk("", entry, nil, exec.Spec.Arguments, exec.Spec.Templates, 0)
	res.Steps = w.steps
	for _, s := range w.steps {
		if s.Error != nil && res.Error == nil {
			res.Error = fmt.Sprintf("%s: %v", s.Path, s.Error)
		}
	}
	return res, nil
}

// globalParams is the controller's setGlobalParameters for the facts a just-created Workflow has.
func globalParams(exec *wfv1.Workflow, cms configMaps) (common.Parameters, error) {
	g := common.Parameters{}
	g[common.GlobalVarWorkflowName] = exec.Name
	g[common.GlobalVarWorkflowNamespace] = exec.Namespace
	g[common.GlobalVarWorkflowMainEntrypoint] = exec.Spec.Entrypoint
	g[common.GlobalVarWorkflowServiceAccountName] = exec.Spec.ServiceAccountName
	g[common.GlobalVarWorkflowUID] = string(exec.UID)
	g[common.GlobalVarWorkflowCreationTimestamp] = exec.CreationTimestamp.Format(time.RFC3339)
	if exec.Spec.Priority != nil {
		g[common.GlobalVarWorkflowPriority] = fmt.Sprint(*exec.Spec.Priority)
	}
	if b, err := json.Marshal(exec.Spec.Arguments.Parameters); err == nil {
		g[common.GlobalVarWorkflowParameters] = string(b)
		g[common.GlobalVarWorkflowParametersJSON] = string(b)
	}
	for _, p := range exec.Spec.Arguments.Parameters {
		switch {
		case p.Value != nil:
			g["workflow.parameters."+p.Name] = p.Value.String()
		case p.ValueFrom != nil && p.ValueFrom.ConfigMapKeyRef != nil:
			v, err := common.GetConfigMapValue(cms, exec.Namespace, p.ValueFrom.ConfigMapKeyRef.Name, p.ValueFrom.ConfigMapKeyRef.Key)
			if err != nil {
				if p.ValueFrom.Default == nil {
					return nil, fmt.Errorf("failed to set global parameter %s from configmap: %w", p.Name, err)
				}
				v = p.ValueFrom.Default.String()
			}
			g["workflow.parameters."+p.Name] = v
		default:
			return nil, fmt.Errorf("either value or valueFrom must be specified in order to set global parameter %s", p.Name)
		}
	}
	md := exec.Spec.WorkflowMetadata
	if b, err := json.Marshal(exec.Annotations); err == nil {
		g[common.GlobalVarWorkflowAnnotations] = string(b)
		g[common.GlobalVarWorkflowAnnotationsJSON] = string(b)
	}
	for k, v := range exec.Annotations {
		g["workflow.annotations."+k] = v
	}
	if b, err := json.Marshal(exec.Labels); err == nil {
		g[common.GlobalVarWorkflowLabels] = string(b)
		g[common.GlobalVarWorkflowLabelsJSON] = string(b)
	}
	for k, v := range exec.Labels {
		if md == nil || md.LabelsFrom[k].Expression == "" {
			g["workflow.labels."+k] = v
		}
	}
	if md != nil {
		for k, v := range md.Labels {
			if md.LabelsFrom[k].Expression == "" {
				g["workflow.labels."+k] = v
			}
		}
		for k, v := range md.Annotations {
			g["workflow.annotations."+k] = v
		}
	}
	return g, nil
}

type walker struct {
	set     *templateSet
	cms     configMaps
	globals common.Parameters
	ns      string
	local   []wfv1.Template
	steps   []resolvedStep
	// with --outputs: each DAG task's dependency references are resolved as the controller does
	// before it runs the task (workflow/controller/dag.go resolveDependencyReferences)
	outputs map[string]taskOutputs
}

// dependencyScope is what resolveDependencyReferences substitutes into a DAG task: the global
// parameters and the outputs of the tasks it may reference.
func (w *walker) dependencyScope() map[string]any {
	scope := template.ToAnyMap(w.globals)
	for name, o := range w.outputs {
		if o.Result != nil {
			scope["tasks."+name+".outputs.result"] = *o.Result
		}
		for k, v := range o.Parameters {
			scope["tasks."+name+".outputs.parameters."+k] = v
		}
	}
	return scope
}

// resolveTask is the controller's replacement over one DAG task (hooks aside): every
// `{{tasks.*}}` / `{{steps.*}}` tag must resolve (template.ReplaceStrictAny, as dag.go).
func (w *walker) resolveTask(t wfv1.DAGTask) (wfv1.DAGTask, error) {
	t.Hooks = nil
	b, err := json.Marshal(t)
	if err != nil {
		return t, err
	}
	s, err := template.ReplaceStrictAny(string(b), w.dependencyScope(), []string{"tasks", "steps"})
	if err != nil {
		return t, err
	}
	var out wfv1.DAGTask
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return t, err
	}
	return out, nil
}

func findTemplate(tmpls []wfv1.Template, name string) *wfv1.Template {
	for i := range tmpls {
		if tmpls[i].Name == name {
			return &tmpls[i]
		}
	}
	return nil
}

// walk processes one template the way executeTemplate does (ProcessArgs with the caller's
// arguments, pod.name as a local for pod templates), then each step / task it calls.
func (w *walker) walk(path, name string, ref *wfv1.TemplateRef, args wfv1.Arguments, scope []wfv1.Template, depth int) {
	if depth > 20 {
		return
	}
	label := name
	tmpls := scope
	if ref != nil {
		label = ref.Name + "/" + ref.Template
		name = ref.Template
		wft, err := w.set.ns(w.ns).Get(ref.Name)
		if err != nil {
			w.steps = append(w.steps, resolvedStep{Path: path, Template: label, Error: err.Error()})
			return
		}
		tmpls = wft.Spec.Templates
	}
	tmpl := findTemplate(tmpls, name)
	if tmpl == nil {
		w.steps = append(w.steps, resolvedStep{Path: path, Template: label, Error: fmt.Sprintf("template %q not found", name)})
		return
	}
	local := common.Parameters{}
	if tmpl.IsPodType() && tmpl.RetryStrategy == nil {
		local[common.LocalVarPodName] = w.globals[common.GlobalVarWorkflowName] + "-oracle-pod"
	}
	step := resolvedStep{Path: path, Template: label}
	processed, err := common.ProcessArgs(tmpl, &args, w.globals, local, false, w.ns, w.cms)
	if err != nil {
		step.Error = err.Error()
		w.steps = append(w.steps, step)
		return
	}
	step.Resolved = processed
	if processed.Resource != nil && processed.Resource.Manifest != "" {
		var m any
		if err := yaml.Unmarshal([]byte(processed.Resource.Manifest), &m); err != nil {
			step.Error = "resource manifest is not YAML: " + err.Error()
		} else {
			step.Manifest = m
		}
	}
	for _, c := range containersOf(processed) {
		for _, e := range c.Env {
			step.Env = append(step.Env, envValue{Container: c.Name, Name: e.Name, Value: e.Value})
		}
	}
	w.steps = append(w.steps, step)
	for gi, group := range processed.Steps {
		for _, s := range group.Steps {
			if len(s.WithItems) > 0 || s.WithParam != "" || s.WithSequence != nil {
				w.steps = append(w.steps, resolvedStep{Path: fmt.Sprintf("%s/%d.%s", path, gi, s.Name), Template: s.Template, Note: "loop not expanded"})
				continue
			}
			w.walk(fmt.Sprintf("%s/%s", path, s.Name), s.Template, s.TemplateRef, s.Arguments, tmpls, depth+1)
		}
	}
	if processed.DAG != nil {
		for _, t := range processed.DAG.Tasks {
			if w.outputs != nil {
				resolved, err := w.resolveTask(t)
				if err != nil {
					w.steps = append(w.steps, resolvedStep{Path: path + "/" + t.Name, Template: t.Template, Error: "resolving dependency references: " + err.Error()})
					continue
				}
				t = resolved
			}
			if len(t.WithItems) > 0 || t.WithParam != "" || t.WithSequence != nil {
				w.steps = append(w.steps, resolvedStep{Path: path + "/" + t.Name, Template: t.Template, Note: "loop not expanded"})
				continue
			}
			w.walk(path+"/"+t.Name, t.Template, t.TemplateRef, t.Arguments, tmpls, depth+1)
		}
	}
}

func containersOf(t *wfv1.Template) []apiv1.Container {
	var cs []apiv1.Container
	if t.Container != nil {
		cs = append(cs, *t.Container)
	}
	if t.Script != nil {
		cs = append(cs, t.Script.Container)
	}
	if t.ContainerSet != nil {
		for _, c := range t.ContainerSet.Containers {
			cs = append(cs, c.Container)
		}
	}
	for _, c := range t.InitContainers {
		cs = append(cs, c.Container)
	}
	for _, c := range t.Sidecars {
		cs = append(cs, c.Container)
	}
	return cs
}
