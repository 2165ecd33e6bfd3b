"""Building blocks of the routes in `sensors/`: the event source, filters, names, triggers (each
with the dependency it fires on, an `Arm`), the Sensor frame, and `RouteBuilder`, through which
every route renders its one Sensor from its arms.
"""
