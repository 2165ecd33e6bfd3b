"""Argo Events v1.9 itself, built on the Go runtime emulation in `go/`.

Argo Events v1.9 semantics on top of the Go runtime emulation: how an EventSource builds the
event, how a Sensor's filters, parameters and triggers treat it, and how manifests are read.
"""
