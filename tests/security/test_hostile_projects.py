"""Hostile project files: no local file is read or carried out, no hang, no memory multiplication."""
import os
import time

import pytest

import hostile_files as hf
from desktop_dl.core.project import (DatasetRef, ProjectError, check_dataset, content_sha256,
                                     load_project)


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "private" / "diary.keras"
    path.parent.mkdir()
    path.write_bytes(b"SECRET-CONTENT" * 100)
    return path


def test_a_run_path_outside_the_app_is_dropped_and_never_read(tmp_path, secret):
    from desktop_dl.engine.run_folder import app_runs_root
    from desktop_dl.ui.train.training_runs import RunRecord

    project = load_project(hf.project_cases(tmp_path, secret)["run_keras_path_outside"])
    state = {"id": "r1", "name": "r", **project.runs[0].extra, "kept": True}
    run = RunRecord.from_state(state)
    assert run.keras_path is None and run.folder is None
    assert run.keras_bytes() is None
    assert b"SECRET" not in repr(run.to_state()).encode()
    # The app's own run folders stay usable (a run trained on this computer).
    own = app_runs_root() / "20260101-000000" / "model.keras"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_bytes(b"PK-model")
    kept = RunRecord.from_state({**state, "keras_path": str(own)})
    assert kept.keras_bytes() == b"PK-model"
    # A link inside the runs folder that points outside is resolved and refused.
    link = own.parent / "link.keras"
    link.symlink_to(secret)
    assert RunRecord.from_state({**state, "keras_path": str(link)}).keras_path is None


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_dataset_path_to_a_device_or_fifo_never_hangs(tmp_path, special):
    if special == "fifo":
        special = str(tmp_path / "pipe")
        os.mkfifo(special)
    start = time.monotonic()
    with pytest.raises(ProjectError, match="not a regular file"):
        content_sha256(special)
    check = check_dataset(DatasetRef("zeros", special, "0" * 64))
    assert check.status == "unchecked" and "not a regular file" in check.message
    assert time.monotonic() - start < 2


def test_a_folder_hash_skips_fifos_and_links_out(tmp_path, secret):
    folder = tmp_path / "data"
    (folder / "cls").mkdir(parents=True)
    (folder / "cls" / "a.png").write_bytes(b"a")
    before = content_sha256(folder)
    os.mkfifo(folder / "cls" / "pipe")
    (folder / "cls" / "out.png").symlink_to(secret)
    (folder / "up").symlink_to(tmp_path)
    assert content_sha256(folder) == before


def test_the_hash_is_capped_and_cancellable(tmp_path):
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(3 << 20))
    with pytest.raises(ProjectError, match="data to check is larger"):
        content_sha256(path, limit=1 << 20)
    with pytest.raises(ProjectError, match="cancelled"):
        content_sha256(path, cancelled=lambda: True)


def test_a_member_referenced_200_times_is_read_once(tmp_path, secret):
    project = load_project(hf.project_cases(tmp_path, secret)["member_referenced_200_times"])
    assert len(project.runs) == 200
    first = project.runs[0].weights
    assert len(first) == 10 << 20
    assert all(r.weights is first and r.extra["data"] is first for r in project.runs)


def test_deeply_nested_json_is_refused(tmp_path):
    import json
    import zipfile
    manifest = {"format": "desktop_dl.project", "version": 2, "panels": ["x"]}
    path2 = tmp_path / "deep2.ddl"
    with zipfile.ZipFile(path2, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("panels/x.json", b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(ProjectError, match="nesting"):
        load_project(path2)
