"""Use cases in plain Python: each opens one unit of work and returns plain dataclasses."""
