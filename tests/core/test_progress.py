"""core.progress: one Progress type, cancel by raising from report()."""
import threading

import pytest

from desktop_dl.core.progress import Cancelled, Progress, TaskState


def test_any_reported_value_becomes_a_progress():
    assert Progress.of(0.25) == Progress(0.25)
    assert Progress.of("reading") == Progress(None, "reading")
    stage = {"fraction": 0.5, "stage": "training", "epoch": 1}
    assert Progress.of(stage) == Progress(0.5, "training", stage)
    assert Progress.of(("epoch", 1, {})).data == ("epoch", 1, {})
    p = Progress(1.0, "done")
    assert Progress.of(p) is p


def test_report_sends_and_part_maps_the_fraction_into_its_range():
    seen = []
    state = TaskState(seen.append)
    state.report(0.5, "half")
    state.part(0.5, 1.0).report(0.5, data={"n": 3})
    state(0.1)                                      # usable as a plain report callback
    assert seen == [Progress(0.5, "half"), Progress(0.75, "", {"n": 3}), Progress(0.1)]


def test_a_cancelled_job_stops_at_its_next_report():
    event = threading.Event()
    state = TaskState(None, event)
    rows_read = []

    def job():
        for row in range(1000):
            if row % 10 == 0:
                state.report(row / 1000)
            rows_read.append(row)
            if row == 42:
                event.set()                         # the user presses Cancel meanwhile

    with pytest.raises(Cancelled):
        job()
    assert len(rows_read) == 50                     # stopped at the first report after cancel
    assert state.cancelled and state.is_cancelled()
    with pytest.raises(Cancelled):
        state.part(0, 0.5).check()
