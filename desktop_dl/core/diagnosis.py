"""What the loss curves show: overfitting, underfitting, divergence, or nothing to worry about.

`diagnose(history)` reads the per-epoch losses (a Keras-style dict `{"loss": [...], "val_loss":
[...]}` or a list of per-epoch log dicts) and names the pattern with the (1-based) epoch where it
starts. It runs after every epoch, so it must not cry wolf: curves are smoothed with a centred
running median, the noise is measured from what the smoothing removed, and a pattern counts only
when it is larger than the noise and lasts several epochs.

Plain Python + numpy (no Qt): the UI turns `Diagnosis` into words in the user's language.
"""
from __future__ import annotations
from desktop_dl.core.i18n import _

import math
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

FINE = "fine"
EARLY = "early"              # too few epochs to say anything yet
OVERFITTING = "overfitting"
UNDERFITTING = "underfitting"
DIVERGENCE = "divergence"

# What to try, as codes the UI words in the user's language.
SUGGESTIONS = {
    OVERFITTING: ("dropout", "smaller_network", "more_data", "early_stopping"),
    UNDERFITTING: ("more_epochs", "more_capacity"),
    DIVERGENCE: ("lower_learning_rate",),
}

# A pattern must persist this many epochs before it is named (Keras' EarlyStopping default
# patience is 0, but tutorials use 2-5; 3 keeps one noisy epoch from raising an alarm).
PATIENCE = 3
MIN_EPOCHS = 3
RISE = 0.10                  # relative rise of the smoothed validation loss above its minimum,
SLOW_RISE = 0.02             # ... or a smaller rise that climbs steadily:
STEADY = 0.7                 # this share of the epochs since the minimum went up
NOISE_SIGMAS = 4.0           # ... and at least this many noise deviations
DIVERGE_RISE = 0.25          # relative rise of the training loss above its minimum
STILL_FALLING = 0.01         # underfitting: losses still fall by > 1 % per epoch at the end,
GAP = 0.85                   # training loss is at least this fraction of validation loss,
HIGH = 0.25                  # and (when the chance level is known) above this fraction of it
STUCK = 0.01                 # divergence: a loss that moves < 1 % per epoch ...
STUCK_HIGH = 0.9             # ... at 90 % or more of the chance level learns nothing


@dataclass(frozen=True)
class Diagnosis:
    """The verdict on a run's loss curves: `kind` (FINE, EARLY, OVERFITTING, UNDERFITTING or
    DIVERGENCE), 1-based epochs where the pattern starts and of the best loss, suggestions, and the
    numbers behind the verdict."""
    kind: str                           # FINE, EARLY, OVERFITTING, UNDERFITTING, DIVERGENCE
    epoch: int | None = None            # 1-based epoch where the pattern starts
    best_epoch: int | None = None       # 1-based epoch of the lowest validation (else training) loss
    best_loss: float | None = None
    suggestions: tuple[str, ...] = ()
    figures: dict = field(default_factory=dict)   # the numbers behind the verdict, for the text

    @property
    def alarm(self) -> bool:
        """True for overfitting, underfitting or divergence (verdicts that call for a change)."""
        return self.kind in (OVERFITTING, UNDERFITTING, DIVERGENCE)

    def describe(self) -> str:
        """One sentence in the interface language (the CLI; the window words it with tr())."""
        if self.kind == EARLY:
            return _("Too few epochs to read the curves yet.")
        if self.kind == DIVERGENCE:
            if self.figures.get("stuck"):
                return (_("Divergence: from epoch {epoch} the loss is stuck at the level of "
                          "guessing. Lower the learning rate.", epoch=self.epoch))
            if self.figures.get("nan"):
                return (_("Divergence: the loss became NaN at epoch {epoch}. Lower the "
                          "learning rate.", epoch=self.epoch))
            return (_("Divergence: the training loss rises from epoch {epoch}. Lower the "
                      "learning rate.", epoch=self.epoch))
        if self.kind == OVERFITTING:
            return (_("Overfitting from epoch {epoch}: validation loss rises while training "
                      "loss falls. Best epoch: {best_epoch} (validation loss {best_loss:.4g}). "
                      "Try dropout, a smaller network, more data or early stopping.",
                      epoch=self.epoch, best_epoch=self.best_epoch, best_loss=self.best_loss))
        if self.kind == UNDERFITTING:
            return (_("Underfitting: training and validation loss are still falling together "
                      "(since epoch {epoch}). Train for more epochs or give the model more "
                      "capacity.", epoch=self.epoch))
        return _("The curves look fine.")


def diagnose(history: Mapping[str, Sequence[float]] | Sequence[Mapping[str, float]],
             chance_loss: float | None = None) -> Diagnosis:
    """Name what the curves show. `chance_loss` is the loss of a model that learned nothing
    (see `chance_loss()`); with it, a loss stuck at chance counts as divergence and
    underfitting needs losses that are still high."""
    train, val = _losses(history)
    n = len(train)
    if n == 0:
        return Diagnosis(EARLY)

    nan_epoch = _first_non_finite(train, val)
    if nan_epoch is not None:
        best = _best(train[:nan_epoch - 1], val[:nan_epoch - 1] if val is not None else None)
        return Diagnosis(DIVERGENCE, nan_epoch, *best, SUGGESTIONS[DIVERGENCE], {"nan": True})
    best_epoch, best_loss = _best(train, val)
    if n < MIN_EPOCHS:
        return Diagnosis(EARLY, best_epoch=best_epoch, best_loss=best_loss)

    t_smooth = _smooth(train)
    rising = _rising(train, t_smooth, DIVERGE_RISE)
    if rising is not None:
        start, rise = rising
        return Diagnosis(DIVERGENCE, start, best_epoch, best_loss, SUGGESTIONS[DIVERGENCE],
                         {"rise": rise, "nan": False})
    stuck = _stuck_at_chance(train, chance_loss)
    if stuck is not None:
        return Diagnosis(DIVERGENCE, stuck, best_epoch, best_loss, SUGGESTIONS[DIVERGENCE],
                         {"nan": False, "stuck": True, "chance": chance_loss})

    if val is not None:
        rising = _rising(val, _smooth(val), RISE, SLOW_RISE)
        # Overfitting only while the training loss keeps improving (or holds), and only for a
        # model that learned something (a validation loss drifting at chance is not memorising).
        learned = chance_loss is None or train[-1] < STUCK_HIGH * chance_loss
        if rising is not None and learned and t_smooth[-1] <= t_smooth[rising[0] - 2] * 1.02:
            return Diagnosis(OVERFITTING, rising[0], best_epoch, best_loss,
                             SUGGESTIONS[OVERFITTING], {"rise": rising[1]})

    since = _still_falling(train, t_smooth)
    if since is not None and val is not None:
        v_since = _still_falling(val, _smooth(val))
        # Underfitting: no gap yet between training and validation, both still improving.
        since = max(since, v_since) if (v_since is not None and train[-1] >= GAP * val[-1]) else None
    latest = val[-1] if val is not None else train[-1]
    if since is not None and (chance_loss is None or latest > HIGH * chance_loss):
        return Diagnosis(UNDERFITTING, since, best_epoch, best_loss, SUGGESTIONS[UNDERFITTING],
                         {"fall_per_epoch": _fall_rate(t_smooth)})
    return Diagnosis(FINE, None, best_epoch, best_loss)


def chance_loss(loss: str, n_classes: int | None = None, target_variance: float | None = None
                ) -> float | None:
    """The loss of a model that learned nothing but the class balance or the mean (assuming
    balanced classes): ln(k) for categorical cross-entropy, ln 2 for binary cross-entropy, the
    targets' variance for MSE. None when unknown."""
    if loss in ("sparse_categorical_crossentropy", "categorical_crossentropy") and n_classes and n_classes > 1:
        return math.log(n_classes)
    if loss == "binary_crossentropy":
        return math.log(2)
    if loss in ("mse", "mean_squared_error") and target_variance:
        return float(target_variance)
    return None


# -- pieces --------------------------------------------------------------------------------------
def _losses(history) -> tuple[np.ndarray, np.ndarray | None]:
    if isinstance(history, Mapping):
        train = list(history.get("loss", []))
        val = history.get("val_loss")
        val = list(val) if val is not None and len(val) else None
    else:
        epochs = list(history)
        train = [e.get("loss", math.nan) for e in epochs]
        vals = [e.get("val_loss") for e in epochs]
        val = None if all(v is None for v in vals) else [math.nan if v is None else v for v in vals]
    train_a = np.asarray(train, dtype=float)
    val_a = None if val is None else np.asarray(val, dtype=float)[: len(train_a)]
    if val_a is not None and len(val_a) < len(train_a):   # mid-epoch: validation not in yet
        train_a = train_a[: len(val_a)]
    return train_a, val_a


def _first_non_finite(train: np.ndarray, val: np.ndarray | None) -> int | None:
    bad = ~np.isfinite(train)
    if val is not None:
        bad |= ~np.isfinite(val)
    where = np.flatnonzero(bad)
    return int(where[0]) + 1 if where.size else None


def _best(train: np.ndarray, val: np.ndarray | None) -> tuple[int | None, float | None]:
    series = val if val is not None and len(val) else train
    if len(series) == 0:
        return None, None
    i = int(np.argmin(series))
    return i + 1, float(series[i])


def _smooth(values: np.ndarray) -> np.ndarray:
    """Centred running median of 3 then mean of 3: one wild epoch moves it little."""
    if len(values) < 3:
        return values.copy()
    padded = np.concatenate([values[:1], values, values[-1:]])
    med = np.median(np.lib.stride_tricks.sliding_window_view(padded, 3), axis=1)
    padded = np.concatenate([med[:1], med, med[-1:]])
    return np.convolve(padded, np.ones(3) / 3, mode="valid")


def _noise(values: np.ndarray, robust: bool = False) -> float:
    """Standard deviation of the epoch-to-epoch noise, from the second differences (a steady
    trend cancels out; for white noise they have variance 6 sigma^2).

    robust: from their median absolute value (a wild phase or epoch barely counts: for a whole
    curve); else from their mean absolute value (for a few epochs the median too often reads a
    noisy stretch as a quiet one, and a false alarm costs more than a late one)."""
    if len(values) < 3:
        return 0.0
    d2 = np.abs(np.diff(values, 2))
    if robust:
        return float(1.4826 * np.median(d2) / math.sqrt(6))
    return float(np.mean(d2) / (math.sqrt(6) * math.sqrt(2 / math.pi)))


def _rising(values: np.ndarray, smooth: np.ndarray, rise: float,
            slow_rise: float | None = None) -> tuple[int, float] | None:
    """(1-based first epoch after the minimum, relative rise) when the curve has climbed clearly
    above its minimum and stayed there for PATIENCE epochs; else None.

    Clearly: by `rise` (relative), or by `slow_rise` when most epochs since the minimum went
    up; in both cases by more than NOISE_SIGMAS times the curve's own noise.
    """
    lo = int(np.argmin(smooth))
    if len(values) - 1 - lo < PATIENCE:
        return None
    floor = smooth[lo]
    scale = abs(floor) or 1e-12
    climbed = smooth[-1] - floor
    # Noise measured where the question is asked: early epochs are often wilder than late ones.
    # (Epoch 1 is skipped: it is one steep drop, not noise.)
    noise = max(_noise(values[max(lo - 1, 1):]), _noise(values[1:], robust=True))
    needed = max(NOISE_SIGMAS * noise, rise * scale)
    # An unbroken climb by `rise` is no noise, however wild each step (a loss exploding).
    unbroken = climbed >= rise * scale and np.all(np.diff(values[lo:]) > 0)
    if unbroken:
        needed = rise * scale
    elif climbed <= 0 or climbed < NOISE_SIGMAS * noise:
        return None
    if climbed < rise * scale:
        # A slow climb needs longer evidence: twice the patience with mostly upward steps, or
        # an unbroken run of rises (PATIENCE + 2 in a row: rarely noise, about 1 in 720).
        ups = np.diff(values[lo:]) > 0
        steady = len(values) - 1 - lo >= 2 * PATIENCE and np.mean(ups) >= STEADY
        streak = len(ups) >= PATIENCE + 2 and bool(np.all(ups[-(PATIENCE + 2):]))
        if slow_rise is None or climbed < slow_rise * scale or not (steady or streak):
            return None
        needed = max(NOISE_SIGMAS * noise, slow_rise * scale)
    # The last PATIENCE raw epochs must all sit well above the minimum: one high epoch is noise.
    if not np.all(values[-PATIENCE:] > floor + needed / 2):
        return None
    # Smoothing blurs the turn by an epoch; the raw minimum beside it is the last good epoch.
    near = slice(max(lo - 1, 0), lo + 2)
    last_good = near.start + int(np.argmin(values[near]))
    return last_good + 2, float(climbed / scale)


def _stuck_at_chance(values: np.ndarray, chance: float | None) -> int | None:
    """1-based epoch since which the loss has sat, unmoving, at the chance level (a learning
    rate so high that the network died), if it has for PATIENCE epochs; else None."""
    if not chance or len(values) < PATIENCE + 1:
        return None
    i = len(values) - 1
    while i > 0 and abs(values[i] - values[i - 1]) <= STUCK * abs(values[i - 1]) \
            and values[i - 1] >= STUCK_HIGH * chance:
        i -= 1
    return i + 1 if len(values) - i > PATIENCE and values[-1] >= STUCK_HIGH * chance else None


def _fall_rate(smooth: np.ndarray) -> float:
    """Mean relative fall per epoch over the last PATIENCE epochs (positive when falling)."""
    k = min(PATIENCE, len(smooth) - 1)
    start, end = smooth[-1 - k], smooth[-1]
    if start <= 0:
        return 0.0
    return float(1 - (end / start) ** (1 / k))


def _still_falling(values: np.ndarray, smooth: np.ndarray) -> int | None:
    """1-based epoch since which the curve keeps falling, if it still falls fast at the end."""
    if _fall_rate(smooth) <= STILL_FALLING:
        return None
    noise = _noise(values[-1 - 2 * PATIENCE:])
    # The recent fall must be bigger than the noise, or a flat noisy curve would qualify.
    k = min(PATIENCE, len(smooth) - 1)
    if smooth[-1 - k] - smooth[-1] < NOISE_SIGMAS * noise:
        return None
    if not np.all(np.diff(smooth[-1 - k:]) < 0):
        return None
    i = len(smooth) - 1
    while i > 0 and smooth[i - 1] > smooth[i]:
        i -= 1
    return i + 1
