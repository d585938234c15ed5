"""Numbers as people write them in tables: `5,35`, `1.234,5`, `1,234.5`, `12 345`, `50 %`.

Two jobs: `detect_number_format` finds the decimal mark and thousands separator from a sample
of cells (the format that reads the most cells wins; ties go to the delimiter's convention), and
`parse_number_cells` turns a column of text cells into float64 with the cells that are not
numbers reported, so a mostly-numeric column never silently becomes categories.
"""
from __future__ import annotations
from desktop_dl.core.i18n import N_, _

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

# Cells that mean "no value" in the files people export (Excel, R, pandas, SPSS).
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-"})
# Digit groups separated by a space, a no-break space, a narrow no-break space or an apostrophe
# (French, Swiss and ISO style thousands: "12 345", "1'234'567").
_SPACE_GROUPS = re.compile(r"(?<=\d)[ \u00a0\u202f'](?=\d{3}(?:\D|$))")
_EXPONENT = r"(?:[eE][+-]?\d+)?"
_PATTERNS = {
    (".", None): re.compile(rf"^[+-]?(?:\d+(?:\.\d*)?|\.\d+){_EXPONENT}$"),
    (",", None): re.compile(rf"^[+-]?(?:\d+(?:,\d*)?|,\d+){_EXPONENT}$"),
    (".", ","): re.compile(rf"^[+-]?\d{{1,3}}(?:,\d{{3}})+(?:\.\d*)?{_EXPONENT}$"),
    (",", "."): re.compile(rf"^[+-]?\d{{1,3}}(?:\.\d{{3}})+(?:,\d*)?{_EXPONENT}$"),
}
DECIMAL_NAMES = {".": N_("point"), ",": N_("comma")}
THOUSANDS_NAMES = {",": N_("comma"), ".": N_("point"), None: N_("none")}
# A column is numeric when at least this share of its non-empty cells are numbers.
NUMERIC_SHARE = 0.9


@dataclass(frozen=True)
class NumberFormat:
    """How a table writes numbers: the decimal mark ("." or ",") and the thousands separator (",",
    "." or None; spaces are always accepted)."""
    decimal: str = "."                 # "." or ","
    thousands: str | None = None       # ",", "." or None (spaces are always accepted)

    def describe(self) -> str:
        """The format in words for the notes, e.g. "decimal comma, thousands separator point"."""
        text = _("decimal {mark}", mark=_(DECIMAL_NAMES[self.decimal]))
        return text + (_(", thousands separator {THOUSANDS_NAMES}",
                         THOUSANDS_NAMES=_(THOUSANDS_NAMES[self.thousands]))
                       if self.thousands else "")


def clean_cell(text: str) -> tuple[str, bool]:
    """(cell without surrounding spaces, space-grouped digits joined and '%' removed, was it %)."""
    text = text.strip().replace("\u2212", "-")      # the typographic minus of some locales
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip()
    return _SPACE_GROUPS.sub("", text), percent


def is_missing_text(text) -> bool:
    """True for None, a float NaN, or a usual word for "missing" (blank, NA, N/A, NaN, null, none,
    ?, -; case and surrounding spaces ignored)."""
    return text is None or (isinstance(text, float) and np.isnan(text)) or \
        (isinstance(text, str) and text.strip().lower() in MISSING_TOKENS)


def _formats_in_order(delimiter: str) -> list[tuple[str, str | None]]:
    # On a tie (cells such as "1,234" read either way) the delimiter decides: a file separated by
    # semicolons was written where the comma is the decimal mark; a comma file uses the point.
    if delimiter == ",":
        return [(".", None), (".", ","), (",", None), (",", ".")]
    return [(".", None), (",", None), (",", "."), (".", ",")]


def detect_number_format(cells: Iterable[str], delimiter: str = ",") -> NumberFormat:
    """The decimal mark and thousands separator that read the most of `cells` as numbers."""
    cells = list(cells)
    counts = {fmt: 0 for fmt in _PATTERNS}
    for cell in cells:
        if is_missing_text(cell):
            continue
        text, _unused = clean_cell(cell)
        for fmt, pattern in _PATTERNS.items():
            if pattern.match(text):
                counts[fmt] += 1
    order = _formats_in_order(delimiter)
    best = max(order, key=lambda fmt: (counts[fmt], -order.index(fmt)))
    if counts[best] == 0:
        return NumberFormat()
    decimal, thousands = best
    if thousands is None:
        # A plain-decimal winner may still have grouped thousands in some cells ("1.234,5").
        grouped = (",", ".") if decimal == "," else (".", ",")
        if _has_groups(cells, grouped):
            thousands = grouped[1]
    return NumberFormat(decimal, thousands)


def _has_groups(cells: list[str], fmt: tuple[str, str]) -> bool:
    """True when some cell is only readable with the thousands separator of `fmt`."""
    plain = _PATTERNS[(fmt[0], None)]
    grouped = _PATTERNS[fmt]
    for cell in cells:
        if is_missing_text(cell):
            continue
        text, _unused = clean_cell(cell)
        if grouped.match(text) and not plain.match(text):
            return True
    return False


def looks_like_number(text: str, fmt: NumberFormat) -> bool:
    """True when `text` (after clean_cell) reads as a number in `fmt` — with or without its
    thousands separator; missing-value words are not numbers."""
    if is_missing_text(text):
        return False
    cleaned, _unused = clean_cell(text)
    return bool(_PATTERNS[(fmt.decimal, None)].match(cleaned) or
                (fmt.thousands and _PATTERNS[(fmt.decimal, fmt.thousands)].match(cleaned)))


@dataclass
class ParsedNumbers:
    """A column's cells read as numbers: `values` (rows,) float64 with NaN where blank or not a
    number, and counts of numbers, odd (non-number) cells, missing-value words and percentages (read
    as fractions 0..1), for the decision whether the column is numeric."""
    values: np.ndarray                 # float64, NaN where blank or not a number
    odd: list[str]                     # distinct texts of the non-blank cells that are not numbers
    odd_count: int                     # how many non-blank cells are not numbers
    numbers: int                       # how many cells are numbers
    missing_words: int                 # odd cells that are a usual word for "missing" (NA, ?, -)
    percent: int                       # how many cells were written with '%' (read as fractions)

    @property
    def numeric(self) -> bool:
        """True when the column is numbers, apart from blanks, words for "missing" and at most
        10 % other odd cells."""
        others = self.odd_count - self.missing_words
        return self.numbers > 0 and self.numbers >= NUMERIC_SHARE * (self.numbers + others)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or \
        (isinstance(value, str) and not value.strip())


def parse_number_cells(cells: Sequence, fmt: NumberFormat) -> ParsedNumbers:
    """float64 values of text cells in `fmt`; blank cells are NaN, and so are the odd ones
    (listed in the result, for a note).

    '%' cells are divided by 100 (Excel stores 50 % as 0.5); infinities count as odd cells."""
    import pandas as pd

    series = pd.Series(np.asarray(cells, dtype=object), dtype=object)
    is_text = series.map(lambda v: isinstance(v, str))
    numbers_already = series.map(lambda v: isinstance(v, (int, float, np.number))
                                 and not isinstance(v, bool) and not _is_blank(v))
    blank = series.map(_is_blank).to_numpy(dtype=bool)
    text = series.where(is_text, "").astype(str).str.strip().str.replace("\u2212", "-", regex=False)
    percent = text.str.endswith("%").to_numpy(dtype=bool)
    text = text.str.rstrip("%").str.strip().str.replace(_SPACE_GROUPS, "", regex=True)
    if fmt.thousands:
        grouped = text.str.match(_PATTERNS[(fmt.decimal, fmt.thousands)].pattern)
        text = text.where(~grouped, text.str.replace(fmt.thousands, "", regex=False))
    # Only a cell in the chosen format is converted: "1.5" in a decimal-comma file is odd.
    valid = text.str.match(_PATTERNS[(fmt.decimal, None)].pattern)
    text = text.where(valid, "x")
    if fmt.decimal == ",":
        text = text.str.replace(",", ".", regex=False)
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan,
                                                           copy=True)
    already = numbers_already.to_numpy(dtype=bool)
    if already.any():
        values[already] = series[already].astype(np.float64).to_numpy()
    values[percent] /= 100.0
    bad = ~blank & ~np.isfinite(values)
    values[bad | blank] = np.nan
    odd_texts = series[bad].astype(str)
    words = int(odd_texts.str.strip().str.lower().isin(MISSING_TOKENS).sum())
    distinct = list(dict.fromkeys(odd_texts.head(2000).tolist()))
    return ParsedNumbers(values, distinct, int(bad.sum()), int((~blank & ~bad).sum()), words,
                         int((percent & ~bad).sum()))
