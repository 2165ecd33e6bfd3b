"""The GitHub EventSource and Sensors, built from hera.events.models; one module per route."""
