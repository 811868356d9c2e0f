"""Plain-Python core: HEARD content, value types and rules, with no I/O beyond packaged assets."""
