"""Fuzzing every file reader: each input gives a UserError (with a message) or succeeds.

Two kinds of inputs: AFL-style mutations of valid seeds (deterministic: the same inputs every run)
and hypothesis-generated ones (raw bytes, JSON structures, CSV text). Counts of inputs tried are
printed (pytest -s). benchmarks/fuzz_readers.py runs many more for longer.
"""
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_spec = importlib.util.spec_from_file_location("fuzz_harness", Path(__file__).with_name("fuzz_harness.py"))
fh = importlib.util.module_from_spec(_spec)
sys.modules["fuzz_harness"] = fh
_spec.loader.exec_module(fh)

# Mutated inputs per reader: sized so the whole file stays well under a minute on 2 cores.
MUTATIONS = {"spec": 400, "project": 400, "csv": 150, "npz": 300, "idx": 400, "idx_gz": 300,
             "image": 250, "image_folder": 20, "onnx": 150, "picture": 250, "image_zip": 60,
             "npz_labels": 150, "keras": 200}
QUICK = settings(max_examples=40, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _assert_clean(outcome, name):
    print(f"\nfuzz {name}: {outcome.tried} inputs, {outcome.accepted} read, {outcome.refused} "
          f"refused with a message, slowest {outcome.slowest * 1000:.0f} ms")
    assert not outcome.failures, fh.describe_failures(outcome)


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutated_files_are_read_or_refused_with_a_message(name, tmp_path):
    outcome = fh.fuzz(fh.TARGETS[name], tmp_path, budget_s=60.0, seed=1234, max_inputs=MUTATIONS[name])
    _assert_clean(outcome, name)
    if name != "image_folder":           # (the folder importer skips a bad image with a warning)
        assert outcome.refused > 0       # the mutations really did damage files


# Readers this issue (22) hardened against declared sizes, with the "declared size" mutator.
DECLARED = {"spec": 150, "project": 150, "npz": 200, "idx": 200, "idx_gz": 150, "keras": 200}


@pytest.mark.parametrize("name", list(DECLARED))
def test_lying_headers_and_shapes_are_refused_with_a_message(name, tmp_path):
    outcome = fh.fuzz(fh.TARGETS[name], tmp_path, budget_s=60.0, seed=22, max_inputs=DECLARED[name],
                      declared=1.0)
    _assert_clean(outcome, name)
    assert outcome.refused > 0


def _run(name, data):
    outcome = fh.Outcome()
    with tempfile.TemporaryDirectory() as tmp:
        fh.check_one(fh.TARGETS[name], data, Path(tmp), outcome)
    assert not outcome.failures, fh.describe_failures(outcome)


@pytest.mark.parametrize("name", ["spec", "project", "csv", "npz", "idx", "image", "onnx",
                                  "picture", "image_zip"])
def test_random_bytes(name):
    @QUICK
    @given(st.binary(max_size=2048))
    def check(data):
        _run(name, data)
    check()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=25)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, database=None)
@given(st.data())
def test_spec_json_with_any_value_anywhere(data):
    spec = json.loads(fh.seed_spec()[0])
    # replace one part of a valid spec (top-level field, a layer, a parameter) with any JSON
    where = data.draw(st.sampled_from(["top", "layer", "param", "input", "compile"]))
    value = data.draw(json_values)
    if where == "top":
        spec[data.draw(st.sampled_from(sorted(spec)))] = value
    elif where == "layer":
        spec["layers"][data.draw(st.integers(0, len(spec["layers"]) - 1))] = value
    elif where == "param":
        spec["layers"][1]["params"][data.draw(st.sampled_from(["units", "activation", "x"]))] = value
    elif where == "input":
        spec["input"][data.draw(st.sampled_from(["shape", "dtype"]))] = value
    else:
        spec["compile"][data.draw(st.sampled_from(["optimizer", "learning_rate", "loss", "metrics"]))] = value
    _run("spec", json.dumps(spec).encode())


@pytest.mark.slow
@settings(max_examples=80, deadline=None, database=None)
@given(st.data())
def test_project_parts_with_any_json(data):
    import io
    import zipfile
    seed = fh.seed_project()[0]
    part = data.draw(st.sampled_from(["manifest.json", "spec.json", "dataset.json", "training.json",
                                      "runs.json", "panels/canvas.json"]))
    value = data.draw(json_values)
    src = zipfile.ZipFile(io.BytesIO(seed))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            raw = src.read(info)
            if info.filename == part:
                doc = json.loads(raw)
                if isinstance(doc, dict) and doc and data.draw(st.booleans()):
                    doc[data.draw(st.sampled_from(sorted(doc)))] = value
                else:
                    doc = value
                raw = json.dumps(doc).encode()
            dst.writestr(info.filename, raw)
    _run("project", out.getvalue())


csv_cells = st.one_of(st.text(alphabet=",;\t\"\n\r .-+eE0123456789abcNnaI", max_size=8),
                      st.floats().map(repr), st.integers().map(str))


@pytest.mark.slow
@settings(max_examples=120, deadline=None, database=None)
@given(st.lists(st.lists(csv_cells, min_size=1, max_size=5), min_size=1, max_size=12),
       st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_csv_tables_of_any_text(rows, sep, encoding):
    text = "\n".join(sep.join(row) for row in rows)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    _run("csv", data)
