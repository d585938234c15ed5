"""The .ddl project file: round trips, atomic saves, migration, refusal, damaged files."""
import io
import json
import os
import zipfile

import numpy as np
import pytest

from desktop_dl.core import atomic_write
from desktop_dl.core.project import (PROJECT_VERSION, DatasetRef, Project, ProjectError, RunRecord,
                                     check_dataset, content_sha256, load_project, project_bytes,
                                     read_project_bytes, save_project)
from desktop_dl.core.spec import CompileSpec, LayerSpec, ModelSpec


def small_spec() -> ModelSpec:
    return ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}), LayerSpec("Dense", {"units": 32, "activation": "relu"}),
                                   LayerSpec("Dropout", {"rate": 0.2}), LayerSpec("Dense", {"units": 10})],
                     CompileSpec("rmsprop", 0.002), name="mnist dense")


def full_project(tmp_path) -> Project:
    data = tmp_path / "digits.csv"
    data.write_text("a,b,label\n1,2,0\n3,4,1\n")
    rng = np.random.default_rng(0)
    run = RunRecord(
        id="run-1", name="Run 1", created="2026-11-23T10:00:00+00:00", spec=small_spec().to_dict(),
        settings={"epochs": 3, "batch_size": 32, "optimizer": "rmsprop", "early_stopping": None},
        history={"loss": [2.3, 1.1, 0.71], "val_loss": [2.0, 1.2, float("nan")],
                 "accuracy": [0.1, 0.6, 0.8]},
        metrics={"test_loss": 0.7, "test_accuracy": 0.81},
        kept=True, weights=b"PK\x03\x04 pretend keras bytes \x00\xff",
        extra={"batch_loss": rng.random(1000).astype(np.float32), "confusion": np.eye(10, dtype=np.int64)})
    return Project(
        spec=small_spec(),
        dataset=DatasetRef("digits", str(data), content_sha256(data), {"target": "label", "scale": (0.0, 1.0)}),
        training={"epochs": 3, "batch_size": 32, "validation": 0.1, "devices": ["cpu"]},
        runs=[run, RunRecord(id="run/2 odd", name="Run 2", kept=False, history={"loss": [1.0]})],
        panels={"canvas": {"pen_width": 18, "strokes": [np.zeros((3, 2), np.float32)], "$weird": 1},
                "browser": {"selected": "digits", "raw": b"\x00\x01", "pair": (1, "a")}},
    )


def assert_state_equal(a, b):
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys()
        for k in a:
            assert_state_equal(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b):
            assert_state_equal(x, y)
    elif isinstance(a, float) and a != a:
        assert isinstance(b, float) and b != b
    else:
        assert a == b and type(a) is type(b)


def test_save_and_load_round_trip_everything(tmp_path):
    project = full_project(tmp_path)
    path = tmp_path / "p.ddl"
    save_project(project, path)
    back = load_project(path)
    assert back.spec.to_dict() == project.spec.to_dict()
    assert back.dataset.to_dict() == project.dataset.to_dict()
    assert_state_equal(project.dataset.options, back.dataset.options)
    assert back.training == project.training
    assert len(back.runs) == 2
    for ours, theirs in zip(project.runs, back.runs):
        assert (ours.id, ours.name, ours.created, ours.spec, ours.kept, ours.weights) == \
               (theirs.id, theirs.name, theirs.created, theirs.spec, theirs.kept, theirs.weights)
        assert_state_equal(ours.settings, theirs.settings)
        assert_state_equal(ours.history, theirs.history)
        assert_state_equal(ours.metrics, theirs.metrics)
        assert_state_equal(ours.extra, theirs.extra)
    assert_state_equal(project.panels, back.panels)
    assert back.migrated_from is None


def test_the_file_is_a_readable_zip_with_named_parts(tmp_path):
    path = tmp_path / "p.ddl"
    save_project(full_project(tmp_path), path)
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        spec = json.loads(zf.read("spec.json"))
        runs = json.loads(zf.read("runs.json"))
        weights = zf.read("runs/run-1.keras")
    assert {"manifest.json", "spec.json", "dataset.json", "training.json", "runs.json"} <= names
    assert manifest["format"] == "desktop_dl.project" and manifest["version"] == PROJECT_VERSION
    assert manifest["app_version"]
    assert spec["format"] == "desktop_dl.model_spec"
    assert runs[0]["history"]["loss"] == [2.3, 1.1, 0.71]
    assert weights.startswith(b"PK")
    assert runs[1]["weights"] is None       # a run that was not kept has no weights


def test_embedded_dataset_round_trips(tmp_path):
    x = np.random.default_rng(1).integers(0, 255, (7, 28, 28), dtype=np.uint8)
    y = np.arange(7, dtype=np.uint8)
    project = Project(dataset=DatasetRef("my-digits", embedded={"x": x, "y": y}))
    back = read_project_bytes(project_bytes(project))
    np.testing.assert_array_equal(back.dataset.embedded["x"], x)
    np.testing.assert_array_equal(back.dataset.embedded["y"], y)
    assert check_dataset(back.dataset).status == "embedded"


def test_a_save_that_fails_half_way_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "p.ddl"
    save_project(Project(spec=small_spec()), path)
    before = path.read_bytes()

    # 1. the disk fills while the new file is being written
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_write.os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(ProjectError, match="the disk is full.*previous version of the file is unchanged"):
        save_project(full_project(tmp_path), path)
    monkeypatch.undo()
    assert path.read_bytes() == before

    # 2. the process dies just before the rename
    monkeypatch.setattr(atomic_write.os, "replace", lambda a, b: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        save_project(full_project(tmp_path), path)
    monkeypatch.undo()
    assert path.read_bytes() == before

    # 3. building the archive fails part-way (after some members were written)
    calls = {"n": 0}
    real_writestr = zipfile.ZipFile.writestr

    def failing_writestr(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(5, "Input/output error")
        return real_writestr(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_writestr)
    with pytest.raises(OSError):
        save_project(full_project(tmp_path), path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert load_project(path).spec.to_dict() == small_spec().to_dict()
    # no temporary files are left beside the project
    assert sorted(p.name for p in tmp_path.iterdir()) == ["digits.csv", "p.ddl"]


def _zip(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, value in members.items():
            zf.writestr(name, value if isinstance(value, bytes) else json.dumps(value))
    return buf.getvalue()


def test_version_1_projects_are_migrated():
    v1 = {"format": "desktop_dl.project", "version": 1, "app_version": "0.0.9",
          "spec": small_spec().to_dict(),
          "dataset": {"name": "mnist-5k", "path": None, "sha256": None},
          "training": {"epochs": 5},
          "runs": [{"id": "a", "name": "first", "settings": {"epochs": 5},
                    "curves": {"loss": [1.0, 0.5]}, "metrics": {"test_accuracy": 0.9}}]}
    project = read_project_bytes(_zip({"project.json": v1}), "old.ddl")
    assert project.migrated_from == 1
    assert project.spec.to_dict() == small_spec().to_dict()
    assert project.dataset.name == "mnist-5k" and check_dataset(project.dataset).status == "builtin"
    assert project.training == {"epochs": 5}
    assert project.runs[0].history == {"loss": [1.0, 0.5]}
    assert project.runs[0].weights is None
    # saving writes the current version
    again = read_project_bytes(project_bytes(project))
    assert again.migrated_from is None and again.runs[0].history == {"loss": [1.0, 0.5]}


def test_projects_from_a_newer_version_are_refused_with_a_message():
    data = _zip({"manifest.json": {"format": "desktop_dl.project", "version": PROJECT_VERSION + 1,
                                   "app_version": "9.0"}})
    with pytest.raises(ProjectError, match=r"newer desktop_dl \(desktop_dl 9.0\).*Update desktop_dl"):
        read_project_bytes(data, "future.ddl")


@pytest.mark.parametrize("data, message", [
    (b"", "not a zip"),
    (b"hello, world", "not a zip"),
    (b"PK\x03\x04garbage", "damaged"),
    (_zip({"readme.txt": b"hi"}), "no manifest.json"),
    (_zip({"manifest.json": b"{not json"}), "not valid JSON"),
    (_zip({"manifest.json": b"\xff\xfe"}), "not valid JSON"),
    (_zip({"manifest.json": {"format": "something.else", "version": 1}}), "another format"),
    (_zip({"manifest.json": {"format": "desktop_dl.project", "version": "2"}}), "no valid format version"),
    (_zip({"manifest.json": {"format": "desktop_dl.project", "version": 2}, "spec.json": {"x": 1}}),
     "not a desktop_dl model spec"),
    (_zip({"manifest.json": {"format": "desktop_dl.project", "version": 2}, "runs.json": {"a": 1}}),
     "run history is not a list"),
    (_zip({"manifest.json": {"format": "desktop_dl.project", "version": 2},
           "runs.json": [{"id": "a", "weights": "runs/a.keras"}]}), "incomplete: it has no runs/a.keras"),
    (_zip({"manifest.json": {"format": "desktop_dl.project", "version": 2},
           "training.json": {"x": {"$array": "nope.npy"}}}), "no nope.npy"),
    (_zip({"manifest.json": {"format": "desktop_dl.project", "version": 2},
           "training.json": {"x": {"$array": "a.npy"}}, "a.npy": b"\x93NUMPY garbage"}), "not a valid array"),
    (_zip({"manifest.json": {"format": "desktop_dl.project", "version": 2},
           "dataset.json": {"name": "d", "embedded": True}, "dataset.npz": b"junk"}), "embedded"),
    (_zip({"manifest.json": {"format": "desktop_dl.project", "version": 2},
           "dataset.json": {"path": 3}}), "dataset reference has no name"),
])
def test_damaged_files_give_their_message(data, message):
    with pytest.raises(ProjectError, match=message):
        read_project_bytes(data, "bad.ddl")


def test_an_npy_header_that_lies_about_its_size_is_refused_before_allocating():
    buf = io.BytesIO()
    np.save(buf, np.zeros(4, np.float64))
    raw = buf.getvalue().replace(b"(4,)", b"(400000000000,)".ljust(4))
    # keep the header length valid: rewrite the header with numpy's own writer
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "<f8", "fortran_order": False,
                                               "shape": (400_000_000_000,)})
    raw = buf.getvalue() + b"\0" * 32
    data = _zip({"manifest.json": {"format": "desktop_dl.project", "version": 2},
                 "training.json": {"x": {"$array": "a.npy"}}, "a.npy": raw})
    with pytest.raises(ProjectError, match="claims 400000000000 values"):
        read_project_bytes(data, "bomb.ddl")


def test_a_zip_bomb_is_refused_without_inflating_it():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps({"format": "desktop_dl.project", "version": 2}))
        zf.writestr("training.json", b" " * 4000)
    data = bytearray(buf.getvalue())
    # claim, in the central directory, that training.json unpacks to 3 GB (a classic bomb header)
    entry = data.rindex(b"PK\x01\x02", 0, data.rindex(b"training.json"))
    data[entry + 24:entry + 28] = (3 * 1024 ** 3).to_bytes(4, "little")
    with pytest.raises(ProjectError, match="unsafe"):
        read_project_bytes(bytes(data), "bomb.ddl")


def test_unreadable_paths_give_messages(tmp_path):
    with pytest.raises(ProjectError, match="Cannot read"):
        load_project(tmp_path / "missing.ddl")
    with pytest.raises(ProjectError, match="is a folder"):
        load_project(tmp_path)


def test_dataset_checks_find_moved_and_changed_data(tmp_path):
    folder = tmp_path / "images"
    (folder / "cat").mkdir(parents=True)
    (folder / "cat" / "1.png").write_bytes(b"one")
    ref = DatasetRef("images", str(folder), content_sha256(folder))
    assert check_dataset(ref).status == "ok"
    (folder / "cat" / "2.png").write_bytes(b"two")
    changed = check_dataset(ref)
    assert changed.status == "changed" and "has changed" in changed.message
    moved = folder.rename(tmp_path / "elsewhere")
    missing = check_dataset(ref)
    assert missing.status == "missing" and "no longer at" in missing.message and "images" in missing.message
    assert content_sha256(moved) != ref.sha256


def test_unsaveable_state_is_reported_not_crashed():
    with pytest.raises(ProjectError, match="has no file form"):
        project_bytes(Project(panels={"x": {"f": object()}}))
    with pytest.raises(ProjectError, match="not with text"):
        project_bytes(Project(panels={"x": {1: 2}}))
    with pytest.raises(ProjectError, match="Python objects"):
        project_bytes(Project(panels={"x": {"a": np.array([object()])}}))


def test_a_project_larger_than_free_memory_is_refused(tmp_path, monkeypatch):
    from desktop_dl.core import limits
    path = tmp_path / "big.ddl"
    save_project(Project(runs=[RunRecord("r", weights=b"\0" * 300_000)]), path)
    monkeypatch.setattr(limits, "available_memory", lambda: 100_000)
    with pytest.raises(ProjectError, match=r"big.ddl needs 29\d.\d KB of memory, but only 97.7 KB is free"):
        load_project(path)


def test_run_weights_stream_from_their_folder_and_fingerprint_by_file_facts(tmp_path):
    import os

    from desktop_dl.core.project import Project, RunRecord, load_project, project_fingerprint, save_project

    weights = tmp_path / "run1" / "model.keras"
    weights.parent.mkdir()
    weights.write_bytes(b"PK\x03\x04" + os.urandom(200_000))
    project = Project(runs=[RunRecord("r1", "Run 1", kept=True, weights_path=str(weights))])
    before = project_fingerprint(project)
    assert project_fingerprint(project) == before
    save_project(project, tmp_path / "p.ddl")
    assert load_project(tmp_path / "p.ddl").runs[0].weights == weights.read_bytes()
    weights.write_bytes(b"PK\x03\x04 retrained")          # a new file: a new fingerprint
    assert project_fingerprint(project) != before
