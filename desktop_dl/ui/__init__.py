"""Qt widgets. Thin: they talk to core and engine, and run long jobs through ui.base.jobs.

Parts (import-linter contracts in pyproject.toml keep them apart): `app` (the window and its
wiring, top), the four panels `editor`, `data`, `train`, `draw` (independent of each other),
`widgets` (shared views) and `base` (jobs, translation, error reporting; bottom).
"""
