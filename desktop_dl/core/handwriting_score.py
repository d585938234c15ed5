"""How a digit model does on the user's own saved digits: per digit, the confusions, and which
drawings it still gets wrong (the Draw tab's "Your handwriting score"). Plain numpy."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class DigitScore:
    """How one digit of the user's saved drawings is read: count, how many right, and what the wrong
    ones were read as (read as -> times)."""
    digit: int
    count: int
    right: int
    confusions: dict[int, int] = field(default_factory=dict)   # read as → how many times

    @property
    def accuracy(self) -> float | None:
        """right / count as a fraction 0..1, or None when there are no samples of the digit."""
        return self.right / self.count if self.count else None


@dataclass
class HandwritingScore:
    """How a model reads the user's saved digits: totals, one DigitScore per digit, and the indices
    of the samples read wrongly."""
    total: int
    right: int
    per_digit: list[DigitScore]
    wrong: list[int]               # indices of the saved digits read wrongly

    @property
    def accuracy(self) -> float | None:
        """right / total as a fraction 0..1, or None when nothing was scored."""
        return self.right / self.total if self.total else None

    def top_confusions(self, k: int = 3) -> list[tuple[int, int, int]]:
        """[(true digit, read as, times)], most frequent first."""
        pairs = [(d.digit, wrong_as, n) for d in self.per_digit for wrong_as, n in d.confusions.items()]
        return sorted(pairs, key=lambda t: (-t[2], t[0], t[1]))[:k]


def score_digits(labels, predicted, classes: int = 10) -> HandwritingScore:
    """Compare `labels` (the right digits, length N) with `predicted` (the model's answers)."""
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    predicted = np.asarray(predicted, dtype=np.int64).reshape(-1)
    if labels.shape != predicted.shape:
        raise ValueError(f"{len(labels)} labels but {len(predicted)} predictions")
    per_digit = []
    for digit in range(classes):
        mine = labels == digit
        got = predicted[mine]
        wrong_as, counts = np.unique(got[got != digit], return_counts=True)
        per_digit.append(DigitScore(digit, int(mine.sum()), int((got == digit).sum()),
                                    {int(a): int(n) for a, n in zip(wrong_as, counts)}))
    wrong = [int(i) for i in np.flatnonzero(labels != predicted)]
    return HandwritingScore(len(labels), int((labels == predicted).sum()), per_digit, wrong)


def held_out_split(labels, fraction: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(train indices, held-out indices): about `fraction` of each digit held out (one at
    least for a digit with two or more samples, none for a digit saved once), seeded."""
    labels = np.asarray(labels).reshape(-1)
    rng = np.random.default_rng(seed)
    train, held = [], []
    for digit in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == digit))
        n_held = 0 if len(idx) < 2 else max(1, int(round(fraction * len(idx))))
        held += idx[:n_held].tolist()
        train += idx[n_held:].tolist()
    return np.array(sorted(train), dtype=np.int64), np.array(sorted(held), dtype=np.int64)
