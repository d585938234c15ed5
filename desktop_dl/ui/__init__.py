"""Qt widgets. Thin: they talk to core and engine, and run long jobs through ui.jobs."""
