"""desktop_dl: build, train and use neural networks without writing code."""

__version__ = "0.1.0"
APP_NAME = "desktop_dl"
ORG_NAME = "desktop_dl"
