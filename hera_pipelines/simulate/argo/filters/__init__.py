"""A dependency's `filters`, one module per kind, so each mirrors its part of filter.go.

A dependency's ``filters`` (``pkg/sensors/dependencies/filter.go``): one module per filter kind,
and ``dependency`` running them in Go's order with its logical operators and error texts.
"""
