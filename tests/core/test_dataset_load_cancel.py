"""Cancelling a dataset load stops the reading itself: readers call report() as they read."""
import numpy as np
import pytest

from desktop_dl.core.datasets import table_reading
from desktop_dl.core.datasets.csv_table import load_table
from desktop_dl.core.datasets.mnist_files import load_npz
from desktop_dl.core.progress import Cancelled, TaskState


def _big_csv(path, rows=60_000):
    rng = np.random.default_rng(0)
    data = np.column_stack([rng.random((rows, 3)).round(4), rng.integers(0, 3, rows)])
    np.savetxt(path, data, delimiter=",", fmt=["%.4f"] * 3 + ["%d"], header="a,b,c,y", comments="")
    return path


def test_cancelling_a_csv_load_stops_at_the_next_chunk(tmp_path, monkeypatch):
    monkeypatch.setattr(table_reading, "CHUNK_ROWS", 5_000)     # 12 chunks
    path = _big_csv(tmp_path / "big.csv")
    seen = []

    def cancel_after_two(progress):
        seen.append(progress)
        if len(seen) == 2:
            state.cancel()
    state = TaskState(cancel_after_two)
    with pytest.raises(Cancelled):
        load_table(path, target="y", progress=state)
    assert len(seen) == 2                   # stopped at the third chunk of twelve
    assert 0 < seen[-1].fraction < 0.3 and "10,000 rows" in seen[-1].message


def test_a_csv_load_reports_rising_fractions(tmp_path, monkeypatch):
    monkeypatch.setattr(table_reading, "CHUNK_ROWS", 20_000)
    seen = []
    dataset = load_table(_big_csv(tmp_path / "big.csv"), target="y", progress=TaskState(seen.append))
    fractions = [p.fraction for p in seen]
    assert len(fractions) == 3 and fractions == sorted(fractions) and fractions[-1] <= 0.95
    assert len(dataset.labels) == 60_000


def test_cancelling_an_npz_load_stops_between_arrays(tmp_path):
    path = tmp_path / "digits.npz"
    np.savez(path, x_train=np.zeros((20, 28, 28), np.uint8), y_train=np.arange(20) % 10,
             x_test=np.zeros((5, 28, 28), np.uint8), y_test=np.arange(5))
    seen = []

    def cancel_at_once(progress):
        seen.append(progress)
        state.cancel()
    state = TaskState(cancel_at_once)
    with pytest.raises(Cancelled):
        load_npz(path, progress=state)
    assert len(seen) == 1
