// Command oracle answers conformance questions with Argo's own Go packages (argo-workflows'
// workflow/validate, workflow/common and util/template; argo-events' pkg/sensors/dependencies and
// pkg/sensors/triggers), imported as ordinary module dependencies. Every answer is one JSON
// object on stdout. See the README section "Conformance (Argo's own code)".
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

const usage = `usage:
  oracle validate DIR...          argo lint --offline over every Workflow kind in DIRs
  oracle substitute WF.json DIR... [--outputs OUT.json]
                                  controller argument processing + substitution of a Workflow;
                                  with OUT.json (task -> {result, parameters}), DAG tasks' output
                                  references resolved as the controller does
  oracle sensor DIR EVENT.json    argo-events filters, conditions and trigger parameters
  oracle vectors FILE.json        run upstream test vectors (workflow-validate/params/filters)
  oracle versions                 the upstream module versions linked in`

func main() {
	if len(os.Args) < 2 {
		fail(usage)
	}
	// upstream code prints diagnostics with fmt.Println (argo-events params.go): keep stdout for
	// the one JSON answer
	stdout := os.Stdout
	os.Stdout = os.Stderr
	var out any
	var err error
	args := os.Args[2:]
	switch os.Args[1] {
	case "validate":
		out, err = runValidate(args)
	case "substitute":
		if len(args) < 2 {
			fail(usage)
		}
		out, err = runSubstitute(args[0], args[1:])
	case "sensor":
		if len(args) != 2 {
			fail(usage)
		}
		out, err = runSensor(args[0], args[1])
	case "vectors":
		if len(args) != 1 {
			fail(usage)
		}
		out, err = runVectors(args[0])
	case "versions":
		out = versions()
	default:
		fail(usage)
	}
	if err != nil {
		fail("oracle: " + err.Error())
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(2)
}

// versions reports the upstream modules this binary was built with (from the build info).
func versions() map[string]string {
	res := map[string]string{}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return res
	}
	res["go"] = info.GoVersion
	for _, dep := range info.Deps {
		switch dep.Path {
		case "github.com/argoproj/argo-workflows/v3", "github.com/argoproj/argo-events",
			"github.com/expr-lang/expr", "github.com/Masterminds/sprig/v3", "github.com/Knetic/govaluate",
			"github.com/tidwall/gjson", "github.com/tidwall/sjson":
			v := dep.Version
			if dep.Replace != nil {
				v = dep.Replace.Version
			}
			res[dep.Path] = v
		}
	}
	return res
}

// doc is one YAML document of a manifest folder, as JSON.
type doc struct {
	File string
	Kind string
	Name string
	JSON []byte
}

var docSeparator = regexp.MustCompile(`(?m)^---\s*$`)

// loadDocs reads every *.yaml / *.yml / *.json file under the folders, one doc per YAML document.
func loadDocs(dirs ...string) ([]doc, error) {
	var docs []doc
	for _, dir := range dirs {
		var files []string
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			ext := filepath.Ext(path)
			if !d.IsDir() && (ext == ".yaml" || ext == ".yml" || ext == ".json") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				return nil, err
			}
			parts := [][]byte{data}
			if filepath.Ext(file) != ".json" {
				parts = nil
				for _, p := range docSeparator.Split(string(data), -1) {
					if strings.TrimSpace(p) != "" {
						parts = append(parts, []byte(p))
					}
				}
			}
			for _, p := range parts {
				j, err := yaml.YAMLToJSON(p)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", file, err)
				}
				var head struct {
					Kind     string `json:"kind"`
					Metadata struct {
						Name         string `json:"name"`
						GenerateName string `json:"generateName"`
					} `json:"metadata"`
				}
				if err := json.Unmarshal(j, &head); err != nil || head.Kind == "" {
					continue
				}
				name := head.Metadata.Name
				if name == "" {
					name = head.Metadata.GenerateName
				}
				docs = append(docs, doc{File: file, Kind: head.Kind, Name: name, JSON: j})
			}
		}
	}
	return docs, nil
}

func errString(err error) any {
	if err == nil {
		return nil
	}
	return err.Error()
}

// compactJSON re-marshals a value so the output is stable.
func compactJSON(b []byte) any {
	var v any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return string(b)
	}
	return v
}
