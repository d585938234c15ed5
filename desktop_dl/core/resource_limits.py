"""Moved: the limits and memory checks live in core/limits.py, the training estimate in
core/training_memory.py. This module only re-exports them for code written before the move."""
from desktop_dl.core.limits import (ResourceLimitError, array_bytes, available_memory,  # noqa: F401
                                    check_allocation, human_bytes)
from desktop_dl.core.training_memory import (MemoryEstimate, TrainingMemoryError,  # noqa: F401
                                             check_training_memory, estimate_training_memory)
