"""Infrastructure every panel may use: jobs, translation, error reporting (bottom layer)."""
