"""Go runtime emulation, so the simulator prints and compares exactly as Go would.

Go runtime behaviour the Sensor semantics rest on (fmt, strconv, encoding/json, regexp, gjson,
text/template + sprig, govaluate), so the simulator prints and compares exactly as Go would.

Nothing here knows about Argo Events: `simulate.argo` builds on these modules, never the reverse.
"""
