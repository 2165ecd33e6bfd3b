"""Argo Events semantics (filters, conditions, parameters) that `simulate` runs over YAML."""
