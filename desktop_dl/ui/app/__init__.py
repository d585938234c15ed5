"""The window and what wires the panels together (top of the ui layers)."""
