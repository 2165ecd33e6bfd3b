"""`simulate`: Argo Events v1.9 semantics, run offline over rendered YAML.

`simulate`: Argo Events v1.9 semantics run offline over rendered YAML; `go/` emulates the Go
runtime those semantics print and compare with, `argo/` is Argo Events itself, and the top level
(simulator, batch, report, output_folder) is what the command drives.
"""
