"""Tables as people export them: decimal commas, encodings, headers, trailing delimiters.

The field files (tests/data/field/01, 03) are real inputs that failed before; every other case
is generated here in its variants."""
import codecs
from pathlib import Path

import numpy as np
import pytest

from desktop_dl.core.datasets import load_dataset
from desktop_dl.core.datasets.csv_table import preview_table
from desktop_dl.core.datasets.table_numbers import NumberFormat, detect_number_format, parse_number_cells
from desktop_dl.core.datasets.table_reading import MAX_COLUMNS, read_table_file
from desktop_dl.core.errors import DatasetError

FIELD = Path(__file__).resolve().parent.parent / "data" / "field"


def _notes(ds):
    return " ".join(ds.notes + ds.warnings)


# -- the field ------------------------------------------------------------------------------------
def test_field_01_messwerte_reads_four_number_features():
    ds = load_dataset(FIELD / "01-semicolon-decimal-comma" / "messwerte.csv", target="klasse")
    assert ds.input_shape == (4,) and len(ds) == 120
    assert [c.numeric for c in ds.features] == [True] * 4
    assert ds.features[0].values[0] == pytest.approx(5.35)
    assert "decimal comma" in _notes(ds)


def test_field_01_sensor_klein_reads_two_number_features():
    ds = load_dataset(FIELD / "01-semicolon-decimal-comma" / "sensor_klein.csv", target="ausfall")
    assert ds.input_shape == (2,) and len(ds) == 40
    assert ds.features[0].values[:2].tolist() == [19.5, 23.0]
    assert ds.class_names == ["ja", "nein"]
    assert "decimal comma" in _notes(ds)


@pytest.mark.parametrize("missing", ["drop", "fill"])
def test_field_03_trailing_delimiter_column_is_dropped_with_a_note(missing):
    ds = load_dataset(FIELD / "03-trailing-delimiter" / "patients.csv", target="outcome",
                      missing=missing)
    assert ds.input_shape == (3,) and len(ds) == 60
    assert [c.name for c in ds.features] == ["age", "bmi", "bp"]
    assert "empty, unnamed last column" in _notes(ds)
    assert not ds.warnings


# -- number formats -------------------------------------------------------------------------------
@pytest.mark.parametrize("cells, delimiter, decimal, thousands, first", [
    (["5,35", "3,41", "12,0"], ";", ",", None, 5.35),
    (["1.234,5", "12,25", "7,0"], ";", ",", ".", 1234.5),
    (["1,234.5", "12.25", "7.0"], ";", ".", ",", 1234.5),
    (['1,234', '5,678'], ",", ".", ",", 1234.0),          # a comma file: grouped thousands
    (['1,234', '5,678'], ";", ",", None, 1.234),          # a semicolon file: decimal comma
    (["12 345,5", "1,5"], ";", ",", None, 12345.5),       # spaces group thousands
    (["12\u00a0345.5", "1.5"], ",", ".", None, 12345.5),  # so do no-break spaces
    ([" 3.5 ", "4"], ",", ".", None, 3.5),
    (["\u22121,5", "2,5"], ";", ",", None, -1.5),          # a typographic minus
])
def test_number_formats(cells, delimiter, decimal, thousands, first):
    fmt = detect_number_format(cells, delimiter)
    assert (fmt.decimal, fmt.thousands) == (decimal, thousands)
    parsed = parse_number_cells(cells, fmt)
    assert parsed.numeric and parsed.values[0] == pytest.approx(first)


def test_percent_cells_are_fractions_and_inf_is_odd():
    parsed = parse_number_cells(["50%", "12,5 %", "inf", "3"], NumberFormat(",", None))
    assert parsed.values[:2] == pytest.approx([0.5, 0.125]) and np.isnan(parsed.values[2])
    assert parsed.percent == 2 and parsed.odd == ["inf"]


@pytest.mark.parametrize("thousands", [False, True])
def test_decimal_comma_file_with_and_without_thousands(tmp_path, thousands):
    big = "1.234,5" if thousands else "1234,5"
    rows = ["preis;menge;art"] + [f"{big};{i},5;{'ab'[i % 2]}" for i in range(10)]
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n")
    ds = load_dataset(tmp_path / "t.csv")
    assert ds.input_shape == (2,)
    assert ds.features[0].values[0] == 1234.5 and ds.features[1].values[3] == 3.5
    assert ("Thousands separators" in _notes(ds)) == thousands


def test_mostly_numeric_column_reports_its_odd_cells(tmp_path):
    values = [str(i) for i in range(40)]
    values[3], values[10], values[20] = "n/a", "?", "oops"
    rows = ["x,y,label"] + [f"{v},{i},{'ab'[i % 2]}" for i, v in enumerate(values)]
    (tmp_path / "t.csv").write_text("\n".join(rows))
    ds = load_dataset(tmp_path / "t.csv", missing="fill")
    assert ds.features[0].numeric and ds.input_shape == (2,)
    text = _notes(ds)
    assert "Column x: 3 cells are not numbers: 'n/a', '?', 'oops'" in text
    assert np.isnan(ds.features[0].values[3]) and len(ds) == 40


def test_a_text_column_stays_text(tmp_path):
    rows = ["name,x,label"] + [f"item{i % 4},{i},{'ab'[i % 2]}" for i in range(20)]
    (tmp_path / "t.csv").write_text("\n".join(rows))
    ds = load_dataset(tmp_path / "t.csv")
    assert not ds.features[0].numeric and ds.input_shape == (5,)


# -- header ---------------------------------------------------------------------------------------
def test_headerless_numbers_keep_the_first_row(tmp_path):
    rows = [f"{i}.5,{i * 2},{i % 2}" for i in range(10)]
    (tmp_path / "t.csv").write_text("\n".join(rows))
    ds = load_dataset(tmp_path / "t.csv")
    assert len(ds) == 10 and [c.name for c in ds.features] == ["column_1", "column_2"]
    assert "read as data" in _notes(ds)


def test_headerless_with_a_text_column_keeps_the_first_row(tmp_path):
    rows = [f"{4 + i / 10:.1f},{3 + i / 10:.1f},{['setosa', 'virginica'][i % 2]}" for i in range(12)]
    (tmp_path / "iris.data").write_text("\n".join(rows) + "\n")
    ds = load_dataset(tmp_path / "iris.data")
    assert len(ds) == 12 and ds.features[0].values[0] == 4.0
    assert ds.class_names == ["setosa", "virginica"]


def test_header_choice_can_be_flipped(tmp_path):
    rows = ["2019,2020,2021"] + [f"{i},{i + 1},{i % 2}" for i in range(10)]
    (tmp_path / "t.csv").write_text("\n".join(rows))
    assert len(load_dataset(tmp_path / "t.csv")) == 11
    ds = load_dataset(tmp_path / "t.csv", header="yes", target="2021")
    assert len(ds) == 10 and ds.features[0].name == "2019" and "as chosen" in _notes(ds)
    named = load_dataset(FIELD / "03-trailing-delimiter" / "patients.csv", header="no")
    # The header row kept as data: its words are odd cells of number columns, named as such.
    assert named.features[0].name == "column_1" and len(named) == 60
    assert "Column column_1: 1 cells are not numbers: 'age'" in _notes(named)


# -- encodings, BOMs, line endings, quoting --------------------------------------------------------
TABLE = "stadt;größe;klasse\nKöln;1,5;a\nMünchen;2,5;b\nZürich;3,5;a\nGenf;4,5;b\n"


@pytest.mark.parametrize("codec, bom, label", [
    ("utf-8", b"", "UTF-8"),
    ("utf-8", codecs.BOM_UTF8, "UTF-8 with byte-order mark"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16 LE"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16 BE"),
    ("utf-16-le", b"", "UTF-16 LE"),
    ("cp1252", b"", "cp1252"),
])
def test_encodings(tmp_path, codec, bom, label):
    (tmp_path / "t.csv").write_bytes(bom + TABLE.encode(codec))
    table = read_table_file(tmp_path / "t.csv")
    names = [c.name for c in table.columns]
    assert names == ["stadt", "größe", "klasse"]
    assert table.columns[0].values.tolist() == ["Köln", "München", "Zürich", "Genf"]
    assert table.columns[1].values.tolist() == [1.5, 2.5, 3.5, 4.5]
    assert label in table.choices.encoding_label
    assert ("byte-order mark" in " ".join(table.notes)) == bool(bom)


def test_gbk_text(tmp_path):
    rows = ["城市,面积,类别"] + [f"{c},{i}.5,{'甲乙'[i % 2]}" for i, c in
                              enumerate(["北京", "上海", "广州", "深圳", "杭州", "南京"] * 3)]
    (tmp_path / "t.csv").write_bytes("\n".join(rows).encode("gbk"))
    table = read_table_file(tmp_path / "t.csv")
    assert table.columns[0].name == "城市" and table.columns[0].values[1] == "上海"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_and_quoted_newlines(tmp_path, newline):
    rows = ['note,x,label', '"two\nlines",1.5,a', '"say ""hi""",2.5,b', 'plain,3.5,a', 'more,4.5,b']
    (tmp_path / "t.csv").write_bytes(newline.join(rows).encode() + newline.encode())
    table = read_table_file(tmp_path / "t.csv")
    assert table.rows == 4
    assert table.columns[0].values[:2].tolist() == ["two\nlines", 'say "hi"']
    assert table.columns[1].values.tolist() == [1.5, 2.5, 3.5, 4.5]
    if newline != "\n":
        assert "line endings" in " ".join(table.notes)


def test_empty_rows_are_skipped_and_named(tmp_path):
    (tmp_path / "t.csv").write_text("a,b,label\n1,2,x\n\n,,\n3,4,y\n  \n5,6,x\n")
    ds = load_dataset(tmp_path / "t.csv")
    assert len(ds) == 3 and not ds.warnings
    assert "Skipped 3 empty rows" in _notes(ds)


def test_explicit_reader_choices(tmp_path):
    (tmp_path / "t.txt").write_bytes("a|b|c\n1,5|2|x\n3,5|4|y\n".encode("cp1252"))
    ds = load_dataset(tmp_path / "t.txt", delimiter="|", decimal=",", text_encoding="cp1252",
                      header="yes")
    assert ds.features[0].values.tolist() == [1.5, 3.5]
    assert ds.options["decimal"] == "," and ds.options["delimiter"] == "|"
    assert load_dataset(tmp_path / "t.txt", **{k: ds.options[k] for k in
                        ("delimiter", "decimal", "text_encoding", "header")}).input_shape == (2,)


def test_too_many_columns_are_refused_before_parsing(tmp_path):
    (tmp_path / "wide.csv").write_text(",".join(["1"] * (MAX_COLUMNS + 5)) + "\n")
    with pytest.raises(DatasetError, match="10,005 columns"):
        load_dataset(tmp_path / "wide.csv")


def test_unknown_encoding_and_bad_choices_are_user_errors(tmp_path):
    (tmp_path / "t.csv").write_text("a,b\n1,2\n3,4\n")
    for options, match in [({"text_encoding": "klingon"}, "not a text encoding"),
                           ({"header": "maybe"}, "header choice"), ({"decimal": ";"}, "decimal mark")]:
        with pytest.raises(DatasetError, match=match):
            load_dataset(tmp_path / "t.csv", **options)


def test_preview_shows_rows_as_parsed(tmp_path):
    preview = preview_table(FIELD / "01-semicolon-decimal-comma" / "sensor_klein.csv", rows=2)
    assert preview.names == ["temperatur", "druck", "ausfall"]
    assert preview.rows == [["19.5", "1", "nein"], ["23", "0.9", "ja"]]
    assert preview.choices.decimal == "," and preview.choices.delimiter == ";"
    flipped = preview_table(FIELD / "01-semicolon-decimal-comma" / "sensor_klein.csv",
                            header="no", rows=1)
    # The words of the header are odd cells in number columns: missing, as training gets them.
    assert flipped.rows == [["", "", "ausfall"]]
    assert any("not numbers: 'temperatur'" in w for w in flipped.warnings)


def test_a_stray_point_is_never_read_as_thousands(tmp_path):
    rows = ["preis;k"] + [f"{i}.234,5;{'ab'[i % 2]}" for i in range(1, 20)] + ["1.5;a"]
    (tmp_path / "t.csv").write_text("\n".join(rows))
    ds = load_dataset(tmp_path / "t.csv", missing="fill")
    assert ds.features[0].values[0] == 1234.5
    assert np.isnan(ds.features[0].values[-1])                # not 15
    assert "1 cells are not numbers: '1.5'" in _notes(ds)


def test_quoted_line_breaks_and_trimmed_spaces_are_noted(tmp_path):
    (tmp_path / "t.csv").write_text('note,x,y\n"a\nb",1,p\n  c  ,2,q\nd,3,p\n')
    table = read_table_file(tmp_path / "t.csv")
    notes = " ".join(table.notes)
    assert "1 cells hold line breaks" in notes and "spaces around the text of 1 cells" in notes
    assert table.columns[0].values.tolist() == ["a\nb", "c", "d"]


def test_excel_sep_line_names_the_delimiter(tmp_path):
    (tmp_path / "t.csv").write_text("sep=;\r\na;b;k\r\n1,5;2;x\r\n3,5;4;y\r\n")
    ds = load_dataset(tmp_path / "t.csv")
    assert [c.name for c in ds.features] == ["a", "b"] and len(ds) == 2
    assert ds.features[0].values.tolist() == [1.5, 3.5] and "sep=;" in _notes(ds)
    preview = preview_table(tmp_path / "t.csv", head_only=True)
    assert preview.names == ["a", "b", "k"] and preview.rows[0] == ["1.5", "2", "x"]


def test_all_text_table_without_header_keeps_its_first_row(tmp_path):
    rows = ["p,x,s,n", "e,x,s,y", "e,b,s,w", "p,x,y,w", "e,x,s,n", "p,b,y,n"]
    (tmp_path / "mushrooms.data").write_text("\n".join(rows) + "\n")
    table = read_table_file(tmp_path / "mushrooms.data")
    assert table.rows == 6 and table.columns[0].name == "column_1"
    (tmp_path / "named.csv").write_text("cap,surface,odor,class\n" + "\n".join(rows[1:]) + "\n")
    table = read_table_file(tmp_path / "named.csv")
    assert table.rows == 5 and table.columns[0].name == "cap"
