"""Building blocks of the routes in `sensors/`: the event source, filters, names and triggers."""
