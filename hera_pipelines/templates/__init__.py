"""Flows (WorkflowTemplates) written with Hera; one module per flow, discovered with pkgutil."""
