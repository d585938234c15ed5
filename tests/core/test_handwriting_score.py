"""Scoring the user's own digits, and the held-out split for "Learn my handwriting"."""
import numpy as np
import pytest

from desktop_dl.core.handwriting_score import held_out_split, score_digits


def test_score_per_digit_confusions_and_still_wrong():
    labels = [1, 1, 1, 7, 7, 4]
    predicted = [1, 7, 7, 7, 1, 4]
    score = score_digits(labels, predicted)
    assert (score.total, score.right) == (6, 3) and score.accuracy == 0.5
    one = score.per_digit[1]
    assert (one.count, one.right, one.confusions) == (3, 1, {7: 2})
    assert score.per_digit[7].confusions == {1: 1}
    assert score.per_digit[0].count == 0 and score.per_digit[0].accuracy is None
    assert score.wrong == [1, 2, 4]
    assert score.top_confusions(1) == [(1, 7, 2)]
    with pytest.raises(ValueError):
        score_digits([1, 2], [1])


def test_held_out_split_keeps_some_of_each_digit_for_training():
    labels = np.array([1] * 8 + [7] * 2 + [4])
    train, held = held_out_split(labels)
    assert set(train) | set(held) == set(range(11)) and not set(train) & set(held)
    assert sorted(labels[held].tolist()) == [1, 1, 7]       # a quarter of the 1s, one 7, no 4
    assert np.array_equal(held, held_out_split(labels)[1])  # seeded
