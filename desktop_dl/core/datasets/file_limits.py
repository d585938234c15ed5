"""Moved to core/limits.py (all limits in one place); re-exported for code written before."""
from desktop_dl.core.limits import (MAX_FILE_BYTES, MAX_TABLE_BYTES, check_file,  # noqa: F401
                                    human_size)
