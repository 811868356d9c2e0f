"""Qt front end: widgets, models and dialogs. The only layer that imports Qt widgets."""
