"""The UCI optical digits (scikit-learn's load_digits: 1,797 digits by 43 writers, 8×8) as the
app reads a picture: a 160×160 dark-on-light PNG through core.digit_preprocess.load_digit_image."""
import numpy as np
from PIL import Image


def uci_digits_28(folder, count: int | None = None, seed: int = 0):
    """(x uint8 N×28×28 ink high, y uint8 N), `count` of them in a seeded random order."""
    from sklearn.datasets import load_digits

    from desktop_dl.core.digit_preprocess import load_digit_image

    digits = load_digits()
    order = np.random.default_rng(seed).permutation(len(digits.target))[:count]
    folder.mkdir(parents=True, exist_ok=True)
    xs = []
    for i in order:
        path = folder / f"uci_{i}.png"
        paper = (255 - digits.images[i] * (255 / 16)).astype(np.uint8)
        Image.fromarray(paper).resize((160, 160), Image.BILINEAR).save(path)
        xs.append(np.rint(load_digit_image(path) * 255).astype(np.uint8))
    return np.array(xs), digits.target[order].astype(np.uint8)
