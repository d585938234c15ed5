"""`desktop-dl predict MODEL.onnx IMAGE... [--json] [--show OUT.png] [--allow-ir-downgrade]`.

Digit models (ours, or any ONNX without our metadata) read each picture the way the Draw tab
does (core/digit_preprocess.load_picture_digits): a clean drawing or scan keeps the MNIST
recipe exactly; a photo of paper on a desk has its paper and lighting removed
(core/digit_photo.py); several digits side by side are read left to right and printed as one
string ("2026"), the JSON listing each with its box. Other image models get the picture resized
to their input and scaled to 0..1. Both read the picture with core.images.decode_image, like the
image-folder import. `--show OUT.png` writes the 28×28 images the model saw.

Runs on ONNX Runtime only: no TensorFlow is imported. Exit status: 0 when every image was
recognised, 1 when some could not be read, 2 when the model cannot be used or no image could
be read.
"""
from __future__ import annotations
from desktop_dl.core.i18n import _

import json
import sys
from pathlib import Path

import numpy as np


def _reads_digits(recognizer) -> bool:
    return recognizer.digit_normalisation == "mnist" or not recognizer.metadata


def _load_resized(recognizer, path) -> np.ndarray:
    """The picture resized to the model's input, H×W(×C) float32 in 0..1 (DatasetError when unreadable)."""
    from desktop_dl.core.images import decode_image, resize_image, to_channels

    h, w, c = recognizer.image_shape
    pixels = to_channels(decode_image(path).array, 1 if c == 1 else 3)
    return resize_image(pixels, h, w).astype(np.float32) / 255.0


def read_picture(recognizer, path) -> dict:
    """One picture's result: {"text", "digits": [{"box", "label", ...}], "notes", "seen": [28×28...]}."""
    from desktop_dl.core.digit_preprocess import load_picture_digits
    from desktop_dl.engine.recognizer import Prediction

    if not _reads_digits(recognizer):
        image = _load_resized(recognizer, path)
        probs = recognizer.predict(image[None])[0]
        index = int(np.argmax(probs))
        pred = Prediction(index, recognizer.class_names[index], probs, tuple(recognizer.class_names))
        return {"preds": [pred], "boxes": [None], "notes": [], "seen": [image]}
    found = load_picture_digits(path)
    images = np.stack([d.image for d in found.digits])
    probs = recognizer.predict(images)
    preds = []
    for row in probs:
        index = int(np.argmax(row))
        preds.append(Prediction(index, recognizer.class_names[index], row, tuple(recognizer.class_names)))
    return {"preds": preds, "boxes": [list(d.box) for d in found.digits], "notes": found.notes,
            "seen": list(images)}


def run(args) -> int:
    """Run `desktop-dl predict`: open args.model with ONNX Runtime, recognise each of args.images
    and print one line per picture (or one JSON object with --json); --show writes the 28×28
    images the model saw. Returns 0 when every image was read, 1 when some failed, 2 when none
    could be read. Raises ModelLoadError (the model cannot be opened) or ModelFileError (not an
    image classifier); the CLI prints them and exits 2."""
    from desktop_dl.core.errors import DatasetError, ModelFileError
    from desktop_dl.engine.onnx_load_errors import ModelLoadError
    from desktop_dl.engine.recognizer import Recognizer

    try:
        recognizer = Recognizer.open(args.model, allow_ir_downgrade=args.allow_ir_downgrade)
    except ModelLoadError as exc:
        if args.verbose and exc.details:
            print(_("desktop-dl predict: details: {details}", details=exc.details), file=sys.stderr)
        raise
    for note in recognizer.notes:
        print(_("desktop-dl predict: note: {note}", note=note), file=sys.stderr)
    if not recognizer.is_image_model:
        raise ModelFileError(_("{name} is not an image classifier; `predict` recognises "
                               "pictures. Use a model trained on images.",
                               name=Path(args.model).name))
    results, failed, seen_all = [], 0, []
    for image_path in args.images:
        try:
            read = read_picture(recognizer, image_path)
        except DatasetError as exc:
            failed += 1
            results.append({"image": image_path, "error": str(exc)})
            if not args.json:
                print(f"{image_path}: error: {exc}", file=sys.stderr)
            continue
        preds = read["preds"]
        text = "".join(p.label for p in preds)
        digits = [{"box": box, **p.to_json(3)} for p, box in zip(preds, read["boxes"])]
        entry = {"image": image_path, "text": text, "digits": digits, "notes": read["notes"]}
        if len(preds) == 1:
            entry.update(preds[0].to_json(3))
        else:
            entry["label"] = text
        results.append(entry)
        seen_all.append(read["seen"])
        if not args.json:
            if len(preds) == 1:
                top = ", ".join(f"{name} {p:.1%}" for name, p in preds[0].top(3))
                print(f"{image_path}: {preds[0].label}  ({top})")
            else:
                each = ", ".join(f"{p.label} {p.confidence:.0%}" for p in preds)
                print(_("{image_path}: {text}  ({count} digits, left to right: {each})",
                        image_path=image_path, text=text, count=len(preds), each=each))
    if args.show and seen_all:
        _write_seen(Path(args.show), seen_all)
    if args.json:
        print(json.dumps({"model": str(args.model), "provider": recognizer.provider,
                          "classes": recognizer.class_names, "scores": recognizer.last_scores,
                          "notes": recognizer.notes, "predictions": results}, indent=2))
    if failed and failed == len(args.images):
        return 2
    return 1 if failed else 0


def _write_seen(out: Path, seen_all: list[list[np.ndarray]]) -> None:
    """The images the model saw: one file per picture (OUT.png for one, OUT-2.png… for more),
    each the picture's digits side by side (a single 28×28 for one digit)."""
    from PIL import Image

    out.parent.mkdir(parents=True, exist_ok=True)
    for number, seen in enumerate(seen_all, start=1):
        strip = np.concatenate([np.asarray(s, np.float32).reshape(s.shape[0], s.shape[1], -1)[..., 0]
                                for s in seen], axis=1)
        target = out if len(seen_all) == 1 else out.with_name(f"{out.stem}-{number}{out.suffix or '.png'}")
        Image.fromarray(np.asarray(np.clip(strip, 0, 1) * 255, np.uint8)).save(target)
