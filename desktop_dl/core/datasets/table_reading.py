"""Reading a CSV/TSV/TXT file into typed columns, the way the user sees it in a spreadsheet.

The parsing itself is pandas' `read_csv` (C engine, in chunks); after each chunk the reader calls
`progress(fraction, message)` (a core.progress.TaskState: it raises Cancelled once the user
cancelled, so a cancelled load stops at the next chunk instead of reading the whole file). Around it, this module decides
what pandas cannot know and records every decision as a note: the text encoding, delimiter,
quotes and header (`table_dialect`), the decimal mark and thousands separator (`table_numbers`).
Afterwards empty columns (trailing delimiters) and empty rows are dropped, and mostly-numeric
columns with a few odd cells are read as numbers with those cells reported.
"""
from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from desktop_dl.core.datasets.table_dialect import (DELIMITER_NAMES, DELIMITERS, delimiter_name, HEAD_BYTES,
                                                    MAX_COLUMNS, SAMPLE_ROWS, check_column_count,
                                                    check_ragged, choose_header, content_width,
                                                    delimiter_from_option, detect_encoding,
                                                    head_text, is_blank_row, read_bytes_source,
                                                    sniff_dialect, split_rows)
from desktop_dl.core.datasets.table_numbers import (NumberFormat, detect_number_format,
                                                    is_missing_text, looks_like_number,
                                                    parse_number_cells)
from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import N_, _
from desktop_dl.core.limits import MAX_FIELD_BYTES, human_size
from desktop_dl.core.i18n import _

__all__ = ["DELIMITER_NAMES", "HEADER_CHOICES", "MAX_COLUMNS", "RawColumn", "RawTable",
           "ReaderChoices", "read_table_file"]

HEADER_CHOICES = ("auto", "yes", "no")
CHUNK_ROWS = 200_000          # pandas parses this many rows at a time (bounds its own memory)


@dataclass
class ReaderChoices:
    """What the reader decided (or was told); each is a CLI flag and a dialog control."""
    delimiter: str
    decimal: str
    thousands: str | None
    encoding: str                  # a Python codec name, e.g. "utf-8", "utf-16", "cp1252"
    header: bool
    encoding_label: str = ""       # for people: "UTF-16 LE with byte-order mark"
    quotechar: str = '"'

    def to_dict(self) -> dict:
        """The choices as a JSON-ready dict (delimiter, decimal, thousands, encoding, header), the
        form the reader's options take."""
        return {"delimiter": self.delimiter, "decimal": self.decimal, "thousands": self.thousands,
                "encoding": self.encoding, "header": self.header}

    def describe(self) -> str:
        """The choices in words for the notes, e.g. "comma-separated, decimal point, UTF-8, first
        row is the header"."""
        fmt = NumberFormat(self.decimal, self.thousands).describe()
        header = _("first row is the header") if self.header else _("no header row")
        return _("{delimiter}-separated, {numbers}, {encoding}, {header}",
                 delimiter=delimiter_name(self.delimiter), numbers=fmt,
                 encoding=self.encoding_label or self.encoding, header=header)


@dataclass
class RawColumn:
    """One column as read: `values` (rows,) float64 with NaN when `numeric`, else object (str /
    None)."""
    name: str
    numeric: bool
    values: np.ndarray             # float64 with NaN, or object (str / None)


@dataclass
class RawTable:
    """A table file as read, before the app picks a target: its columns, the reader choices used,
    and notes (what reading found or decided) and warnings (what it changed or left out)."""
    columns: list[RawColumn]
    choices: ReaderChoices
    notes: list[str] = field(default_factory=list)      # what reading found or decided
    warnings: list[str] = field(default_factory=list)   # what it changed or left out

    @property
    def rows(self) -> int:
        """The number of data rows (0 when there are no columns)."""
        return len(self.columns[0].values) if self.columns else 0


# -- the whole file -------------------------------------------------------------------------------
def read_table_file(path: Path, delimiter: str | None = None, decimal: str | None = None,
                    text_encoding: str | None = None, header: str = "auto",
                    head_only: bool = False, progress: Callable | None = None) -> RawTable:
    """Typed columns of a table file; every choice and change is in `.notes` / `.warnings`.

    With `head_only`, only the whole lines of the first 256 KB are read (a live preview).
    `progress(fraction, message)` is called after each chunk of rows (whatever it raises, such
    as core.progress.Cancelled, ends the read). Raises DatasetError (a message for the user)
    for files that are no table."""
    header = "auto" if header in (None, "") else str(header).lower()
    header = {"true": "yes", "false": "no", "1": "yes", "0": "no"}.get(header, header)
    if header not in HEADER_CHOICES:
        raise DatasetError(_("The header choice must be 'auto', 'yes' or 'no', not {header!r}.",
                             header=header))
    if decimal not in (None, "", "auto", ".", ","):
        raise DatasetError(_("The decimal mark must be '.' or ',', not {decimal!r}.",
                             decimal=decimal))
    head, source = read_bytes_source(path)
    codec, encoding_label = detect_encoding(head, text_encoding, path)
    complete = len(head) < HEAD_BYTES if isinstance(source, Path) else len(source) <= HEAD_BYTES
    text = head_text(head, codec, complete)
    text, sep_skip, sep_delimiter = _excel_sep_line(text)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise DatasetError(_("'{name}' is empty: it has no rows.", name=path.name))
    check_column_count(lines[0], path)
    delimiter = delimiter_from_option(delimiter) or sep_delimiter
    quotechar = '"'
    try:
        if delimiter is None:
            delimiter, quotechar = sniff_dialect(lines, path)
        rows = [r for r in split_rows(text, delimiter, quotechar) if not is_blank_row(r)]
    except csv.Error as exc:   # a cell over the field limit (core/limits.py), a stray NUL...
        raise DatasetError(_("'{name}' cannot be split into cells ({exc}); desktop_dl reads "
                             "cells of up to {human_size}. Check the file in a text editor.",
                             name=path.name, exc=exc, human_size=human_size(MAX_FIELD_BYTES))) from None
    if not rows:
        raise DatasetError(_("'{name}' is empty: it has no rows.", name=path.name))
    raw_width = max(len(r) for r in rows[:SAMPLE_ROWS * 5])
    width = max(content_width(r) for r in rows[:SAMPLE_ROWS * 5])
    if raw_width > MAX_COLUMNS:
        raise DatasetError(_("'{name}' has {raw_width:,} columns; desktop_dl reads tables of "
                             "up to {MAX_COLUMNS:,} columns.",
                             name=path.name, raw_width=raw_width, MAX_COLUMNS=MAX_COLUMNS))
    if width < 2:
        name = delimiter_name(delimiter)
        others = [delimiter_name(d) for d in DELIMITERS if d != delimiter and d in lines[0]]
        hint = _(" Its lines contain a {others}: choose that as the delimiter.", others=others[0]) if others else ""
        raise DatasetError(_("'{name}' has only one column when split by {name2}.{hint} A "
                             "table needs at least one feature column and a target column.",
                             name=path.name, name2=name, hint=hint))
    check_ragged(rows, path)
    cells = [c for r in rows[1:SAMPLE_ROWS] for c in r]
    fmt = detect_number_format(cells or rows[0], delimiter)
    if decimal in (".", ","):
        thousands = fmt.thousands if fmt.thousands != decimal else None
        fmt = NumberFormat(decimal, thousands if thousands != decimal else None)
    has_header, header_note = choose_header(rows, fmt, header)
    if has_header and len(rows) == 1:
        raise DatasetError(_("'{name}' has a header but no data rows.", name=path.name))
    choices = ReaderChoices(delimiter, fmt.decimal, fmt.thousands, codec, has_header,
                            encoding_label, quotechar)
    all_lines = text.splitlines()
    leading_blank = next(i for i, line in enumerate(all_lines) if line.strip())
    if head_only:
        source, sep_skip = text, 0          # already decoded, cut at a line end
    rows_guess = _rows_guess(source, head, len(all_lines))
    arrays = _read_with_pandas(source, path, choices, raw_width,
                               sep_skip + leading_blank + (1 if has_header else 0),
                               progress, rows_guess)
    names = _column_names(rows[0] if has_header else [], raw_width)
    table = _typed_columns(arrays, names, choices, path)
    table.notes[:0] = [_("Read {rows:,} rows and {count} columns: {describe}.",
                         rows=table.rows, count=len(table.columns), describe=choices.describe()), header_note, *_format_notes(text, choices)]
    if sep_skip:
        table.notes.insert(1, _("The first line 'sep={sep_delimiter}' (written by Excel) names "
                                "the delimiter; it is not part of the table.",
                                sep_delimiter=sep_delimiter))
    return table


def _excel_sep_line(text: str) -> tuple[str, int, str | None]:
    """Excel may start a CSV with a line 'sep=;' naming the delimiter: (text without it, how
    many lines to skip for it, the delimiter), or (text, 0, None) when there is none."""
    lines = text.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return text, 0, None
    line = lines[first].strip().strip('"')
    if len(line) == 5 and line.lower().startswith("sep=") and line[4] in DELIMITERS:
        return "".join(lines[first + 1:]), first + 1, line[4]
    return text, 0, None


def _format_notes(text: str, choices: ReaderChoices) -> list[str]:
    notes = []
    if choices.decimal == ",":
        notes.append(_("The file writes numbers with a decimal comma (as in 5,35); they are "
                       "read as numbers."))
    if choices.thousands:
        notes.append(_("Thousands separators ({THOUSANDS_TEXT}) are removed from numbers.",
                       THOUSANDS_TEXT=_(THOUSANDS_TEXT[choices.thousands])))
    if "\r\n" in text:
        notes.append(_("Lines end with Windows line endings (CR LF)."))
    elif "\r" in text:
        notes.append(_("Lines end with old Mac line endings (CR only)."))
    if _("byte-order mark") in choices.encoding_label:
        notes.append(_("The byte-order mark at the start of the file was removed."))
    return notes


THOUSANDS_TEXT = {",": N_("commas, as in 1,234"), ".": N_("points, as in 1.234")}


def _rows_guess(source, head: bytes, head_lines: int) -> int:
    """About how many lines the whole table has (for progress fractions): its size over the
    head's bytes per line."""
    size = source.stat().st_size if isinstance(source, Path) else len(source)
    return max(1, int(size / max(1.0, len(head) / max(1, head_lines))))


def _read_with_pandas(source, path: Path, choices: ReaderChoices, width: int,
                      skip: int, progress: Callable | None = None,
                      rows_guess: int = 0) -> list[np.ndarray]:
    """Each column as float64 (all numbers) or object, parsed by pandas in chunks; `progress`
    after each chunk (see read_table_file)."""
    import pandas as pd

    # No thousands separator for pandas: it drops one anywhere ("1.5" would read as 15), so
    # columns with grouped digits come back as text and table_numbers reads them strictly.
    decimal = choices.decimal if choices.decimal != choices.delimiter else "."
    encoding = choices.encoding
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    elif isinstance(source, str):
        source, encoding = io.StringIO(source), None
    try:
        with warnings.catch_warnings():
            # Chunks of one column read as different types: the column is typed again below.
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            chunks = pd.read_csv(
                source, sep=r"\s+" if choices.delimiter == " " else choices.delimiter,
                header=None, names=list(range(width)), skiprows=skip,
                decimal=decimal, quotechar=choices.quotechar,
                na_values=[""], keep_default_na=False, skip_blank_lines=False,
                skipinitialspace=True, encoding=encoding, encoding_errors="replace",
                engine="c", low_memory=True, dtype=None, compression=None,
                chunksize=CHUNK_ROWS)
            parts: list[list[np.ndarray]] = [[] for _unused in range(width)]
            done = 0
            with chunks:            # closed (file and parser) however the loop ends
                for chunk in chunks:
                    done += len(chunk)
                    for j in range(width):
                        # A copy, so that the chunk's own block is freed with the chunk.
                        parts[j].append(chunk[j].to_numpy(copy=True))
                    del chunk
                    if progress is not None:
                        progress(min(0.95, done / max(done, rows_guess)),
                                 _("read {done:,} rows of {name}", done=done, name=path.name))
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if found:
            raise DatasetError(_("'{name}' has ragged rows: the first lines have {width} "
                                 "values but line {group} has {group2}. Every row needs the "
                                 "same number of values; fix or remove that line.",
                                 name=path.name, width=width, group=found.group(2), group2=found.group(3))) from None
        raise DatasetError(_("'{name}' cannot be read as a table ({exc}). Check its quotes and "
                             "delimiters in a text editor.", name=path.name, exc=exc)) from None
    except pd.errors.EmptyDataError:
        raise DatasetError(_("'{name}' has a header but no data rows.", name=path.name)) from None
    except (UnicodeError, ValueError, OverflowError) as exc:
        raise DatasetError(_("'{name}' cannot be read as a table ({exc}).", name=path.name, exc=exc)) from None
    if not parts[0]:
        raise DatasetError(_("'{name}' has a header but no data rows.", name=path.name))
    columns = []
    for j in range(width):
        columns.append(_join_chunks(parts[j]))
        parts[j] = []                  # one column's pieces at a time: peak ≈ table + 1 column
    return columns


def _join_chunks(pieces: list[np.ndarray]) -> np.ndarray:
    """One column from its chunks: float64 when every chunk read as numbers, else object (the
    number cells of a mixed column stay numbers inside it)."""
    if all(p.dtype.kind in "fiu" for p in pieces):
        return pieces[0].astype(np.float64, copy=False) if len(pieces) == 1 else \
            np.concatenate([p.astype(np.float64, copy=False) for p in pieces])
    return np.concatenate([p.astype(object) for p in pieces])


def _column_names(first_row: list[str], width: int) -> list[str]:
    cells = [c.strip() for c in first_row] + [""] * (width - len(first_row))
    return [c or "" for c in cells[:width]]


def _typed_columns(arrays: list[np.ndarray], names: list[str], choices: ReaderChoices,
                   path: Path) -> RawTable:
    fmt = NumberFormat(choices.decimal, choices.thousands)
    table = RawTable([], choices)
    dropped = []
    replaced = 0
    for j, name in enumerate(names):
        array = arrays[j]
        arrays[j] = None                                   # hand the memory over as we go
        shown = name or f"column_{j + 1}"
        if array.dtype.kind == "f":
            values = array
            if not np.isfinite(values).all():
                values = values.copy()
                values[~np.isfinite(values)] = np.nan
            column = RawColumn(shown, True, values)
        else:
            cells = array
            parsed = parse_number_cells(cells, fmt) if _may_be_numbers(cells, fmt) else None
            if parsed is not None and parsed.numeric:
                column = RawColumn(shown, True, parsed.values)
                if parsed.odd_count:
                    listed = ", ".join(repr(t) for t in parsed.odd[:5])
                    more = ", …" if len(parsed.odd) > 5 else ""
                    table.warnings.append(_("Column {shown}: {odd_count:,} cells are not "
                                            "numbers: {listed}{more}. They are read as missing "
                                            "values.",
                                            shown=shown, odd_count=parsed.odd_count, listed=listed, more=more))
                if parsed.percent:
                    table.notes.append(_("Column {shown}: {percent:,} values written with '%' "
                                         "are read as fractions (50 % → 0.5).",
                                         shown=shown, percent=parsed.percent))
            else:
                text, counts = _text_cells(cells)
                replaced += counts["undecodable"]
                if counts["line_breaks"]:
                    table.notes.append(_("Column {shown}: {counts:,} cells hold line breaks "
                                         "inside quotes; they are kept in the text.",
                                         shown=shown, counts=counts['line_breaks']))
                if counts["spaces"]:
                    table.notes.append(_("Column {shown}: spaces around the text of {counts:,} "
                                         "cells were removed.",
                                         shown=shown, counts=counts['spaces']))
                column = RawColumn(shown, False, text)
        if _all_missing(column):
            dropped.append((j, name))
            continue
        table.columns.append(column)
    for j, name in dropped:
        if not name and j == len(names) - 1:
            table.notes.append(_("Dropped the empty, unnamed last column {value} (every line "
                                 "ends with a delimiter).", value=j + 1))
        else:
            table.notes.append(_("Dropped column {value}: it has no values.", value=name or j + 1))
    if replaced:
        table.warnings.append(_("{replaced:,} cells had characters that are not {encoding}; "
                                "they show as '�'. Choose the file's encoding if the text "
                                "looks wrong.", replaced=replaced, encoding=choices.encoding))
    _drop_empty_rows(table)
    if table.rows == 0 or not table.columns:
        raise DatasetError(_("'{name}' has no data rows.", name=path.name))
    return table


def _may_be_numbers(cells: np.ndarray, fmt: NumberFormat, sample: int = 2000) -> bool:
    """Whether a column could be ≥ 90 % numbers, judged on evenly spaced cells (a text column
    then skips the full number parse, the slow part of reading a big table)."""
    step = max(1, len(cells) // sample)
    picked = [c for c in cells[::step] if not is_missing_text(c)]
    if not picked:
        return True
    numbers = sum(isinstance(c, (int, float)) or looks_like_number(str(c), fmt) for c in picked)
    return numbers >= 0.5 * len(picked)


def _text_cells(cells: np.ndarray) -> tuple[np.ndarray, dict[str, int]]:
    """(object array of stripped text with None where missing — blank or a word for
    'missing' —, counts of cells with an undecodable character, a line break, or spaces
    removed). Works on the distinct values, so a million cells of five words make five
    strings, not a million."""
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(cells, dtype=object), use_na_sentinel=True)
    raw = [str(u) for u in uniques]
    clean = [None if is_missing_text(u) else text.strip() for u, text in zip(uniques, raw)]
    lookup = np.array(clean + [None], dtype=object)        # code −1 (NaN) → the last: None
    out = lookup[codes]
    counts = {}
    for key, test in (("undecodable", lambda r, c: "\ufffd" in c),
                      ("line_breaks", lambda r, c: "\n" in c or "\r" in c),
                      ("spaces", lambda r, c: r != c)):
        which = [i for i, (r, c) in enumerate(zip(raw, clean)) if c is not None and test(r, c)]
        counts[key] = int(np.isin(codes, which).sum()) if which else 0
    return out, counts


def _all_missing(column: RawColumn) -> bool:
    if column.numeric:
        return bool(np.isnan(column.values).all())
    return all(v is None for v in column.values)


def _drop_empty_rows(table: RawTable) -> None:
    empty = None
    for c in table.columns:
        miss = np.isnan(c.values) if c.numeric else np.array([v is None for v in c.values], bool)
        empty = miss if empty is None else empty & miss
    if empty is None or not empty.any():
        return
    keep = ~empty
    for c in table.columns:
        c.values = c.values[keep]
    table.notes.append(_("Skipped {count:,} empty rows (blank lines or lines of only "
                         "delimiters).", count=int(empty.sum())))
