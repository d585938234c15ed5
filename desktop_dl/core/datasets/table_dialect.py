"""Finding how a table file is written: its text encoding, delimiter, quotes and header row.

Encoding: a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32); then a strict UTF-8 check;
then `charset-normalizer` (cp1252, GBK, Shift-JIS, …). Delimiter and quote character:
`clevercsv`'s dialect detection, checked for consistency, with a vote over the usual delimiters
as fallback. Header: the first row is data when it has the types of the rows below. Everything
here looks at the first 256 KB only; `table_reading` then parses the whole file with pandas.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
from pathlib import Path

from desktop_dl.core.datasets.table_numbers import NumberFormat, is_missing_text, looks_like_number
from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import N_, _
# MAX_COLUMNS is checked on the first line, before anything is parsed.
from desktop_dl.core.limits import MAX_COLUMNS, MAX_FIELD_BYTES, MAX_TABLE_BYTES, human_size

# The csv module stops at 128 KB per cell, pandas (which reads the whole file) does not: the
# sniffing here accepts the same cells, up to the limit of core/limits.py.
csv.field_size_limit(MAX_FIELD_BYTES)

DELIMITERS = (",", ";", "\t", "|")
# Shown in notes and errors: translate with delimiter_name(), not by indexing.
DELIMITER_NAMES = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab"), "|": N_("vertical bar"),
                   " ": N_("space")}


def delimiter_name(delimiter: str) -> str:
    """"comma", "tab"… in the interface language; repr() of an unusual delimiter."""
    return _(DELIMITER_NAMES[delimiter]) if delimiter in DELIMITER_NAMES else repr(delimiter)
DELIMITER_WORDS = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|",
                   "bar": "|", "space": " ", "whitespace": " "}
HEAD_BYTES = 256 * 1024       # what detection looks at
SAMPLE_ROWS = 200             # rows used to detect the header and the number format
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32 LE"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 BE"),
         (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE"),
         (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE"))


def read_bytes_source(path: Path) -> tuple[bytes, object]:
    """(the first HEAD_BYTES, what pandas reads). A .gz is unpacked, but never beyond the table
    size limit: a small .gz may unpack to gigabytes.

    Raises DatasetError when a .gz is not a complete gzip file or unpacks to more than
    MAX_TABLE_BYTES.
    """
    if path.name.lower().endswith(".gz"):
        try:
            with gzip.open(path) as f:
                raw = f.read(MAX_TABLE_BYTES + 1)
        except (OSError, EOFError, ValueError) as exc:
            raise DatasetError(_("'{name}' is not a complete gzip file ({exc}).",
                                 name=path.name, exc=exc)) from None
        if len(raw) > MAX_TABLE_BYTES:
            raise DatasetError(_("'{name}' unpacks to more than {human_size}; desktop_dl reads "
                                 "tables up to that size. Use a sample of the rows.",
                                 name=path.name, human_size=human_size(MAX_TABLE_BYTES)))
        return raw[:HEAD_BYTES], raw
    with open(path, "rb") as f:
        return f.read(HEAD_BYTES), path


def detect_encoding(head: bytes, requested: str | None, path: Path) -> tuple[str, str]:
    """(Python codec, label for people). A byte-order mark decides; then strict UTF-8; then
    charset-normalizer (cp1252, GBK, Shift-JIS, …).

    Raises DatasetError when the bytes are no known text encoding (or hold NUL bytes), or the
    requested encoding is unknown to Python.
    """
    if requested:
        try:
            codec = codecs.lookup(requested).name
        except LookupError:
            raise DatasetError(_("'{requested}' is not a text encoding Python knows; try "
                                 "utf-8, utf-16, cp1252 or gbk.", requested=requested)) from None
        if codec == "utf-8" and head.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
        return codec, f"{requested} (chosen)"
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            return codec, _("{label} with byte-order mark", label=label)
    if len(head) >= 4 and head.count(b"\x00") > len(head) // 4:
        # UTF-16 without a byte-order mark: ASCII text leaves every other byte zero.
        odd_zeros = head[1::2].count(b"\x00")
        return ("utf-16-le", _("UTF-16 LE")) if odd_zeros > len(head) // 4 else ("utf-16-be", _("UTF-16 BE"))
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < HEAD_BYTES)
        return "utf-8", "UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(head[:64 * 1024]).best()
    if best is None or b"\x00" in head:
        raise DatasetError(_("'{name}' is not a text file (its bytes are no known text "
                             "encoding). A table must be saved as CSV or text.", name=path.name))
    codec = best.encoding
    try:
        # Western European text decodes alike in several code pages: say the common one.
        if codec != "cp1252" and head.decode("cp1252") == head.decode(codec):
            codec = "cp1252"
    except (UnicodeDecodeError, LookupError):
        pass
    return codec, f"{codec} (detected)"


def head_text(head: bytes, codec: str, complete: bool) -> str:
    """The first bytes of a table decoded with `codec` (undecodable bytes replaced), without a BOM;
    when the file goes on (`complete` False) the last, possibly cut, line is dropped."""
    text = head.decode(codec, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not complete:
        cut = max(text.rfind("\n"), text.rfind("\r"))
        text = text[:cut] if cut > 0 else text        # the last line may be cut in the middle
    return text


def delimiter_from_option(option: str | None) -> str | None:
    """The delimiter a user option names: None for "auto"/empty (detect it), a word such as "comma",
    "semicolon", "tab", "pipe" or "space" mapped to its character, else the option itself."""
    if option in (None, "", "auto"):
        return None
    return DELIMITER_WORDS.get(option.lower(), option) if len(option) > 1 else option


def check_column_count(first_line: str, path: Path) -> None:
    """Refuse a table too wide to read before parsing it.

    Raises DatasetError when the first line, split on the most frequent candidate delimiter, has
    more than MAX_COLUMNS columns.
    """
    widest = max(first_line.count(d) for d in DELIMITERS) + 1
    if widest > MAX_COLUMNS:
        raise DatasetError(_("'{name}' has {widest:,} columns in its first line; desktop_dl "
                             "reads tables of up to {MAX_COLUMNS:,} columns. Keep fewer "
                             "columns (for example with a spreadsheet) and save it again.",
                             name=path.name, widest=widest, MAX_COLUMNS=MAX_COLUMNS))


def sniff_dialect(lines: list[str], path: Path) -> tuple[str, str]:
    """(delimiter, quote character) of the first lines: clevercsv's dialect detection, checked
    for consistency; a consistency vote over the usual delimiters when it finds none."""
    if path.name.lower().endswith((".tsv", ".tsv.gz")):
        return "\t", '"'
    sample = "\n".join(lines[:100])[:64 * 1024]
    try:
        import clevercsv
        dialect = clevercsv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS))
    except Exception:      # noqa: BLE001 - clevercsv raises bare Errors on odd text; fall back
        dialect = None
    if dialect is not None and dialect.delimiter in DELIMITERS:
        quote = dialect.quotechar if dialect.quotechar in ('"', "'") else '"'
        widths = [len(r) for r in csv.reader(lines[:50], delimiter=dialect.delimiter, quotechar=quote)]
        if widths and max(widths) > 1:
            return dialect.delimiter, quote
    return _vote_delimiter(lines, path), '"'


def _vote_delimiter(lines: list[str], path: Path) -> str:
    """The delimiter that splits most of the first lines into the same number (> 1) of fields."""
    sample = lines[:50]
    best, best_score = None, (0.0, 0)
    for delim in DELIMITERS:
        counts = [len(row) for row in csv.reader(sample, delimiter=delim)]
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode) / len(counts), mode)
        if mode > 1 and counts[0] == mode and score > best_score:
            best, best_score = delim, score
    if best is None or best_score[0] < 0.5:
        counts = {len(line.split()) for line in sample}
        if len(counts) == 1 and next(iter(counts)) > 1:
            return " "          # space-separated (Keras/UCI style .data files)
        raise DatasetError(
            _("'{name}' does not look like a table: no comma, semicolon, tab or '|' splits its "
              "first lines into the same number of columns. Open it in a text editor and check "
              "that every line has the same columns, separated by one of these characters.",
              name=path.name))
    return best


def split_rows(text: str, delimiter: str, quotechar: str) -> list[list[str]]:
    """Rows of cells from table text: csv.reader with `delimiter` and `quotechar`, or runs of
    whitespace when the delimiter is a space."""
    if delimiter == " ":
        return [line.split() for line in text.splitlines()]
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quotechar))


def is_blank_row(row: list[str]) -> bool:
    """True when every cell of `row` is empty or whitespace."""
    return all(not c.strip() for c in row)


def content_width(row: list[str]) -> int:
    """The number of cells in `row` up to its last non-blank one (trailing blanks not counted)."""
    n = len(row)
    while n and not row[n - 1].strip():
        n -= 1
    return n


def choose_header(rows: list[list[str]], fmt: NumberFormat, option: str) -> tuple[bool, str]:
    """Is the first row a header? (answer, why, for the notes).

    The first row is data when, in the columns whose cells below are numbers, it holds numbers
    too — also when the table has text columns. It is a header when such a column has text in
    the first row, or when the table has no number columns (the usual convention)."""
    if option == "yes":
        return True, _("First row used as the header (as chosen).")
    if option == "no":
        return False, _("First row read as data, columns named by position (as chosen).")
    first, body = rows[0], rows[1:SAMPLE_ROWS]
    if not body:
        return (not all(looks_like_number(c, fmt) for c in first if c.strip()),
                _("Only one row: it is read as the header when it holds text."))
    text_over_numbers = numbers_over_numbers = 0
    for j, cell in enumerate(first):
        below = [r[j] for r in body if j < len(r) and not is_missing_text(r[j])]
        if not below or sum(looks_like_number(c, fmt) for c in below) < 0.9 * len(below):
            continue                                      # not a number column
        if looks_like_number(cell, fmt):
            numbers_over_numbers += 1
        elif cell.strip():
            text_over_numbers += 1
    if text_over_numbers:
        return True, _("First row used as the header (it has text above number columns).")
    if numbers_over_numbers:
        return False, (_("First row read as data, not as a header: it has numbers where the "
                         "rows below have numbers. Columns are named column_1, column_2, …; "
                         "choose header 'yes' if the first row is a header."))
    # Only text columns: a header names the columns, so its cells do not occur below them
    # (UCI's mushroom data has no header: its first row's letters fill every column below).
    text_columns = [j for j, cell in enumerate(first) if cell.strip()]
    repeated = sum(first[j].strip() in {r[j].strip() for r in body if j < len(r)}
                   for j in text_columns)
    if text_columns and repeated * 2 >= len(text_columns):
        return False, (_("First row read as data, not as a header: its values occur in the "
                         "rows below. Columns are named column_1, column_2, …; choose header "
                         "'yes' if the first row is a header."))
    return True, _("First row used as the header (its names do not occur in the rows below).")


def check_ragged(rows: list[list[str]], path: Path) -> None:
    """Refuse rows with more or fewer values than most rows. Extra empty cells at the end of a
    line (a trailing delimiter) are fine, and so is a first row that is short by such cells.

    Raises DatasetError naming the first ragged lines.
    """
    sample = rows[:SAMPLE_ROWS * 5]
    lengths = [len(r) for r in sample]
    usual = max(set(lengths), key=lengths.count)
    bad = [(n + 1, len(r)) for n, r in enumerate(sample)
           if content_width(r) > usual or (len(r) < usual and n > 0)]
    if bad:
        listed = ", ".join(f"line {line} has {count}" for line, count in bad[:3])
        more = f" (and {len(bad) - 3} more)" if len(bad) > 3 else ""
        raise DatasetError(_("'{name}' has ragged rows: most lines have {usual} values but "
                             "{listed}{more}. Every row needs the same number of values; fix "
                             "or remove those lines.",
                             name=path.name, usual=usual, listed=listed, more=more))
