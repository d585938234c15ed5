"""Plain Python + numpy: no Qt, no TensorFlow (tests/core/test_import_boundaries.py checks it)."""
