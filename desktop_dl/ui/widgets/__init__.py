"""Shared views used by several panels (may import base only)."""
