"""Text from other people's files, made safe to print in a terminal or show in a window.

A class name inside a downloaded ONNX model is the sender's text: an ANSI escape sequence in it
can clear the terminal or fake `predict`'s output, a bidi override can make "3" read as "8"'s
label, a newline can add lines to a log. `shown_text` keeps letters, digits, punctuation and
spaces in any script, and drops every control or format character (Unicode categories Cc, Cf,
Cs, Co, Cn, Zl, Zp), so what a user sees is exactly the visible characters of the name.
"""
from __future__ import annotations

import unicodedata

_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
MAX_SHOWN_CHARS = 100      # a class name longer than this is cut, with "…"


def shown_text(value, limit: int = MAX_SHOWN_CHARS) -> str:
    """`str(value)` without control/format characters (tabs become spaces), at most `limit` chars.

    Never raises: any object is converted with `str()` first.
    """
    text = value if isinstance(value, str) else str(value)
    kept = []
    for ch in text:
        if ch == "\t":
            kept.append(" ")
        elif unicodedata.category(ch) not in _DROPPED_CATEGORIES:
            kept.append(ch)
        if len(kept) > limit:
            break
    out = "".join(kept).strip()
    return out if len(out) <= limit else out[: limit - 1] + "…"
