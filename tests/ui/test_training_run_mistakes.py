"""A run's mistake thumbnails live in its run folder, not in memory; projects still carry them."""
import numpy as np

from desktop_dl.core.project import Project, load_project, save_project
from desktop_dl.engine.training_process import save_mistakes
from desktop_dl.ui.train.training_gallery import MisclassifiedGallery
from desktop_dl.ui.train.training_runs import RunRecord, StoredMistakes


def _run(path):
    return RunRecord("r1", "Run 1", "", {}, {}, {}, {}, wrong_images_path=path)


def test_mistakes_are_read_from_the_run_folder_and_written_into_a_project(tmp_path):
    images = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    run = _run(save_mistakes(tmp_path, images))
    assert run.wrong_images is None
    np.testing.assert_array_equal(run.mistake_images(), images)
    state = run.to_state()
    assert isinstance(state["wrong_images"], StoredMistakes)     # not read while gathering
    save_project(Project(panels={"training": {"runs": [state]}}), tmp_path / "p.ddl")
    back = load_project(tmp_path / "p.ddl").panels["training"]["runs"][0]["wrong_images"]
    np.testing.assert_array_equal(back, images)
    assert RunRecord.from_state(state).wrong_images is None      # handed over: still on disk


def test_the_gallery_reads_the_pictures_only_when_shown(qtbot, tmp_path):
    gallery = MisclassifiedGallery()
    qtbot.addWidget(gallery)
    asked = []
    evaluation = {"most_confidently_wrong": [{"index": 3, "true": 1, "predicted": 7, "confidence": 0.9}],
                  "confusion_matrix": [[0, 1], [0, 0]]}

    def images():
        asked.append(1)
        return np.zeros((1, 28, 28), np.uint8)
    gallery.show_mistakes(evaluation, images, ["0", "1", "2", "3", "4", "5", "6", "7"])
    assert asked == []                                  # hidden: nothing read
    gallery.show()
    assert asked == [1] and gallery.list.count() == 1
