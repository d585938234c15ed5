"""Synthetic phone photos of handwritten digits, for tests/core/test_digit_photo.py and
benchmarks/bench_photos.py.

Each picture: bundled MNIST digits rendered in pencil-grey ink on a sheet of paper, the sheet
off-centre and rotated ±8° on a darker, textured desk, lit unevenly (a gradient across the frame
and a soft shadow), with sensor noise, saved as JPEG. Deterministic for a seed.
"""
from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageFilter


def _desk(rng, h, w) -> np.ndarray:
    """RGB 0..1: a brown or grey desk with wood-like grain and noise."""
    base = rng.uniform(0.22, 0.45)
    tint = np.array([1.0, 0.85, 0.7]) if rng.random() < 0.6 else np.array([1.0, 1.0, 1.0])
    y = np.arange(h)[:, None]
    x = np.arange(w)[None, :]
    grain = 0.04 * np.sin(2 * np.pi * (y + 0.15 * x) / rng.uniform(7, 19) + rng.uniform(0, 6))
    noise = np.asarray(Image.fromarray((rng.random((h, w)) * 255).astype(np.uint8))
                       .filter(ImageFilter.GaussianBlur(1.5)), np.float32) / 255.0 - 0.5
    level = np.clip(base + grain + 0.08 * noise, 0, 1)
    return level[..., None] * tint[None, None, :]


def _sheet(rng, digits: list[np.ndarray], sheet_hw, digit_px) -> tuple[np.ndarray, np.ndarray]:
    """(reflectance RGB 0..1, opaque alpha) of a paper sheet with the digits written off-centre."""
    sh, sw = sheet_hw
    paper = rng.uniform(0.85, 0.97)
    ink_level = rng.uniform(0.2, 0.5)                 # pencil grey, not black
    ink = np.zeros((sh, sw), np.float32)
    gap = int(digit_px * rng.uniform(0.05, 0.25))
    total = len(digits) * digit_px + (len(digits) - 1) * gap
    left = int(rng.uniform(0.08, 0.92) * (sw - total)) if sw > total else 0
    top = int(rng.uniform(0.1, 0.9) * (sh - digit_px))
    for digit in digits:
        size = int(digit_px * rng.uniform(0.9, 1.05))
        big = np.asarray(Image.fromarray(np.asarray(digit * 255, np.uint8)).resize((size, size), Image.BILINEAR),
                         np.float32) / 255.0
        dy = int(rng.integers(-3, 4))
        t = max(0, min(sh - size, top + dy))
        ink[t:t + size, left:left + size] = np.maximum(ink[t:t + size, left:left + size], big[:sh - t, :sw - left])
        left += digit_px + gap
    reflect = paper * (1 - ink) + ink_level * ink
    rgb = reflect[..., None] * np.array([1.0, 0.99, 0.96])[None, None, :]
    return rgb, np.ones((sh, sw), np.float32)


def make_photo(digits: list[np.ndarray], seed: int, *, quality: int | None = None) -> bytes:
    """JPEG bytes of a photo of `digits` (each 28×28, 0..1, ink high) written side by side."""
    rng = np.random.default_rng(seed)
    h, w = int(rng.integers(300, 420)), int(rng.integers(300, 420))
    desk = _desk(rng, h, w)
    n = len(digits)
    digit_px = int(rng.integers(70, 110)) if n == 1 else int(rng.integers(55, 75))
    digit_px = min(digit_px, int(w * 0.8 / (n * 1.3)))      # every digit fits on the sheet
    sheet_w = int(min(w * 0.95, max(digit_px * n * 1.4, w * rng.uniform(0.55, 0.8))))
    sheet_h = int(h * rng.uniform(0.5, 0.8))
    rgb, alpha = _sheet(rng, digits, (sheet_h, sheet_w), digit_px)
    angle = rng.uniform(-8, 8)
    sheet = Image.fromarray(np.asarray(np.clip(rgb, 0, 1) * 255, np.uint8)).rotate(
        angle, resample=Image.BILINEAR, expand=True)
    mask = Image.fromarray(np.asarray(alpha * 255, np.uint8)).rotate(angle, resample=Image.BILINEAR, expand=True)
    frame = Image.fromarray(np.asarray(np.clip(desk, 0, 1) * 255, np.uint8))
    x0 = int(rng.uniform(0.05, 0.95) * max(1, w - sheet.width))
    y0 = int(rng.uniform(0.05, 0.95) * max(1, h - sheet.height))
    frame.paste(sheet, (x0, y0), mask)
    picture = np.asarray(frame, np.float32) / 255.0
    # Uneven light: a gradient across the frame and a soft shadow from one side.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    direction = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(direction) * xx / w + np.sin(direction) * yy / h)
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    light = 0.6 + 0.4 * ramp
    if rng.random() < 0.5:
        edge = rng.uniform(0.2, 0.8) * w
        light *= 1 - 0.25 / (1 + np.exp((xx - edge) / (0.06 * w)))
    picture = picture * light[..., None] + rng.normal(0, 0.012, picture.shape)
    out = Image.fromarray(np.asarray(np.clip(picture, 0, 1) * 255, np.uint8))
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=quality or int(rng.integers(55, 85)))
    return buffer.getvalue()


def held_out_digits():
    """(x, y) of the bundled digits the test/benchmark models were not trained on (the last
    1,000 of the conftest fixture's shuffled order): x (N, 28, 28) float32 0..1, y (N,) int."""
    from desktop_dl.paths import resource

    data = np.load(resource("mnist_5k.npz"))
    x = data["x"].astype("float32") / 255.0
    y = data["y"].astype("int64")
    order = np.random.default_rng(0).permutation(len(x))
    return x[order][4000:], y[order][4000:]
