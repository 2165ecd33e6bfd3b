package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/Knetic/govaluate"
	"github.com/argoproj/argo-events/pkg/apis/events/v1alpha1"
	"github.com/argoproj/argo-events/pkg/sensors/dependencies"
	"github.com/argoproj/argo-events/pkg/sensors/triggers"
	"github.com/expr-lang/expr"
)

type rawEvent struct {
	Context *v1alpha1.EventContext `json:"context"`
	Data    json.RawMessage        `json:"data"`
}

// readEvent reads {context, data}; data is the exact JSON bytes (a JSON string is taken as
// the data text itself, as `simulate --raw` does for non-JSON content types).
func readEvent(path string) (*v1alpha1.Event, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw rawEvent
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	ev := &v1alpha1.Event{Context: raw.Context}
	if len(raw.Data) > 0 && string(raw.Data) != "null" {
		ev.Data = []byte(raw.Data)
		var s string
		if raw.Context != nil && raw.Context.DataContentType != "application/json" && json.Unmarshal(raw.Data, &s) == nil {
			ev.Data = []byte(s)
		}
	}
	return ev, nil
}

type depResult struct {
	Name    string   `json:"name"`
	Matched bool     `json:"matched"`
	Status  string   `json:"status"`
	Reasons []string `json:"reasons"`
}

type paramResult struct {
	Dest  string `json:"dest"`
	Value any    `json:"value"`
	Error any    `json:"error"`
}

type triggerResult struct {
	Name       string        `json:"name"`
	Fired      bool          `json:"fired"`
	Status     string        `json:"status"`
	Operation  any           `json:"operation"`
	Resource   any           `json:"resource"`
	Parameters []paramResult `json:"parameters"`
	Reasons    []string      `json:"reasons"`
}

type sensorResult struct {
	Name         string          `json:"name"`
	File         string          `json:"file"`
	Dependencies []depResult     `json:"dependencies"`
	Triggers     []triggerResult `json:"triggers"`
}

// dependencyExpression follows argo-events' listener (getDependencyExpression): conditions are
// translated with expr over the dependency names ('-' read as '_'), else every dependency is
// AND-ed; the result is evaluated with govaluate, '-' escaped.
func dependencyExpression(sensor *v1alpha1.Sensor, trigger v1alpha1.Trigger) (string, error) {
	if trigger.Template.Conditions == "" {
		deps := []string{}
		for _, dep := range sensor.Spec.Dependencies {
			deps = append(deps, dep.Name)
		}
		return strings.Join(deps, "&&"), nil
	}
	mapping := map[string]string{}
	for _, dep := range sensor.Spec.Dependencies {
		mapping[strings.ReplaceAll(dep.Name, "-", "_")] = dep.Name
	}
	e := trigger.Template.Conditions
	e = strings.ReplaceAll(e, "&&", " + \"&&\" + ")
	e = strings.ReplaceAll(e, "||", " + \"||\" + ")
	e = strings.ReplaceAll(e, "-", "_")
	e = strings.ReplaceAll(e, "(", "\"(\"+")
	e = strings.ReplaceAll(e, ")", "+\")\"")
	program, err := expr.Compile(e, expr.Env(mapping))
	if err != nil {
		return "", err
	}
	res, err := expr.Run(program, mapping)
	if err != nil {
		return "", err
	}
	out := fmt.Sprintf("%v", res)
	out = strings.ReplaceAll(out, "\"(\"", "(")
	out = strings.ReplaceAll(out, "\")\"", ")")
	return out, nil
}

func runSensor(dir, eventPath string) (any, error) {
	event, err := readEvent(eventPath)
	if err != nil {
		return nil, err
	}
	docs, err := loadDocs(dir)
	if err != nil {
		return nil, err
	}
	results := []sensorResult{}
	for _, d := range docs {
		if d.Kind != "Sensor" {
			continue
		}
		var sensor v1alpha1.Sensor
		if err := json.Unmarshal(d.JSON, &sensor); err != nil {
			return nil, fmt.Errorf("%s: %w", d.File, err)
		}
		results = append(results, evalSensor(&sensor, d.File, event))
	}
	sort.Slice(results, func(i, j int) bool { return results[i].Name < results[j].Name })
	return map[string]any{"versions": versions(), "sensors": results}, nil
}

func evalSensor(sensor *v1alpha1.Sensor, file string, event *v1alpha1.Event) sensorResult {
	res := sensorResult{Name: sensor.Name, File: file, Dependencies: []depResult{}, Triggers: []triggerResult{}}
	matched := map[string]bool{}
	events := map[string]*v1alpha1.Event{}
	for _, dep := range sensor.Spec.Dependencies {
		r := depResult{Name: dep.Name, Reasons: []string{}}
		switch {
		case event.Context == nil || dep.EventSourceName != event.Context.Source || dep.EventName != event.Context.Subject:
			r.Status = "other-event"
		case dep.Transform != nil:
			r.Status = "unsupported"
			r.Reasons = append(r.Reasons, "transform is not evaluated by the oracle")
		default:
			ok, ferr := dependencies.Filter(event, dep.Filters, dep.FiltersLogicalOperator)
			// the listener drops the event on a filter error (listener.go: "failed to apply filters")
			r.Matched = ok && ferr == nil
			if ferr != nil {
				r.Reasons = append(r.Reasons, "error: "+ferr.Error())
			}
			if r.Matched {
				r.Status = "matched"
				matched[dep.Name] = true
				events[dep.Name] = event
			} else {
				r.Status = "not-matched"
			}
		}
		res.Dependencies = append(res.Dependencies, r)
	}
	for _, trig := range sensor.Spec.Triggers {
		res.Triggers = append(res.Triggers, evalTrigger(sensor, trig, matched, events))
	}
	return res
}

func evalTrigger(sensor *v1alpha1.Sensor, trig v1alpha1.Trigger, matched map[string]bool, events map[string]*v1alpha1.Event) triggerResult {
	r := triggerResult{Parameters: []paramResult{}, Reasons: []string{}}
	if trig.Template == nil {
		r.Status = "error"
		r.Reasons = append(r.Reasons, "trigger has no template")
		return r
	}
	r.Name = trig.Template.Name
	depExpr, err := dependencyExpression(sensor, trig)
	if err != nil {
		r.Status = "error"
		r.Reasons = append(r.Reasons, "conditions: "+err.Error())
		return r
	}
	ge, err := govaluate.NewEvaluableExpression(strings.ReplaceAll(depExpr, "-", "\\-"))
	if err != nil {
		r.Status = "error"
		r.Reasons = append(r.Reasons, "conditions: "+err.Error())
		return r
	}
	params := map[string]any{}
	for _, v := range ge.Vars() {
		params[v] = matched[v]
	}
	val, err := ge.Evaluate(params)
	if err != nil {
		r.Status = "error"
		r.Reasons = append(r.Reasons, "conditions: "+err.Error())
		return r
	}
	if b, _ := val.(bool); !b {
		r.Status = "not-fired"
		r.Reasons = append(r.Reasons, "conditions `"+depExpr+"` not met")
		return r
	}
	r.Fired = true
	r.Status = "fired"
	// template-level parameters first (triggers.ApplyTemplateParameters), then the resource's
	tmpl := trig.DeepCopy()
	if err := triggers.ApplyTemplateParameters(events, tmpl); err != nil {
		r.Status = "error"
		r.Reasons = append(r.Reasons, "template parameters: "+err.Error())
		return r
	}
	var source *v1alpha1.ArtifactLocation
	var tparams []v1alpha1.TriggerParameter
	switch {
	case tmpl.Template.ArgoWorkflow != nil:
		op := string(tmpl.Template.ArgoWorkflow.Operation)
		if op == "" {
			op = "submit"
		}
		r.Operation = op
		source = tmpl.Template.ArgoWorkflow.Source
		tparams = tmpl.Template.ArgoWorkflow.Parameters
	case tmpl.Template.K8s != nil:
		op := string(tmpl.Template.K8s.Operation)
		if op == "" {
			op = "create"
		}
		r.Operation = op
		source = tmpl.Template.K8s.Source
		tparams = tmpl.Template.K8s.Parameters
	default:
		r.Status = "unsupported"
		r.Reasons = append(r.Reasons, "only argoWorkflow and k8s triggers are evaluated by the oracle")
		return r
	}
	for _, p := range tparams {
		pr := paramResult{Dest: p.Dest}
		if p.Src != nil {
			v, _, perr := triggers.ResolveParamValue(p.Src, events)
			if v != nil {
				pr.Value = *v
			}
			pr.Error = errString(perr)
		}
		r.Parameters = append(r.Parameters, pr)
	}
	if source == nil || source.Resource == nil {
		r.Status = "unsupported"
		r.Reasons = append(r.Reasons, "only inline resources are evaluated by the oracle")
		return r
	}
	fetched, err := triggers.FetchKubernetesResource(source)
	if err != nil {
		r.Status = "error"
		r.Reasons = append(r.Reasons, "fetch: "+err.Error())
		return r
	}
	obj := fetched
	if err := triggers.ApplyResourceParameters(events, tparams, obj); err != nil {
		r.Status = "error"
		r.Reasons = append(r.Reasons, "parameters: "+err.Error())
		return r
	}
	r.Resource = obj.Object
	return r
}
