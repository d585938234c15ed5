"""`desktop-dl predict MODEL.onnx IMAGE... [--json]`: the label and top-3 probabilities per image.

Digit models (ours, or any ONNX without our metadata) get the canvas's MNIST preprocessing with
ink polarity detected (core/digit_preprocess.load_digit_image), so a photo of a dark digit on
paper works. Other image models get the picture resized to their input and scaled to 0..1.
Both read the picture with core.images.decode_image, like the image-folder import.
Runs on ONNX Runtime only: no TensorFlow is imported. Exit status: 0 when every image was
recognised, 1 when some could not be read, 2 when the model cannot be used.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np


def load_image_for(recognizer, path) -> np.ndarray:
    """The image as the model wants it, H×W(×C) in 0..1 (DatasetError when unreadable)."""
    if recognizer.digit_normalisation == "mnist" or not recognizer.metadata:
        from desktop_dl.core.digit_preprocess import load_digit_image
        return load_digit_image(path)
    from desktop_dl.core.images import decode_image, resize_image, to_channels

    h, w, c = recognizer.image_shape
    pixels = to_channels(decode_image(path).array, 1 if c == 1 else 3)
    return resize_image(pixels, h, w).astype(np.float32) / 255.0


def run(args) -> int:
    from desktop_dl.core.errors import DatasetError, ModelFileError
    from desktop_dl.engine.recognizer import Prediction, Recognizer

    recognizer = Recognizer.open(args.model)
    if not recognizer.is_image_model:
        raise ModelFileError(f"{Path(args.model).name} is not an image classifier; `predict` "
                             "recognises pictures. Use a model trained on images.")
    results, failed = [], 0
    for image_path in args.images:
        try:
            image = load_image_for(recognizer, image_path)
        except DatasetError as exc:
            failed += 1
            results.append({"image": image_path, "error": str(exc)})
            if not args.json:
                print(f"{image_path}: error: {exc}", file=sys.stderr)
            continue
        if image.ndim == 3:
            probs = recognizer.predict(image[None])[0]
            index = int(np.argmax(probs))
            pred = Prediction(index, recognizer.class_names[index], probs, tuple(recognizer.class_names))
        else:
            pred = recognizer.predict_digit(image)
        results.append({"image": image_path, **pred.to_json(3)})
        if not args.json:
            top = ", ".join(f"{name} {p:.1%}" for name, p in pred.top(3))
            print(f"{image_path}: {pred.label}  ({top})")
    if args.json:
        print(json.dumps({"model": str(args.model), "provider": recognizer.provider,
                          "classes": recognizer.class_names, "predictions": results}, indent=2))
    return 1 if failed else 0
