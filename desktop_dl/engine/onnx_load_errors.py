"""Why an ONNX file did not load, said so a user can act on it.

Two moments:
- `sniff_not_onnx(path, head)` before anything parses the file: a `.keras` zip, a PyTorch
  checkpoint, an HDF5 file, a TFLite flatbuffer, safetensors, a picture or a text file picked by
  mistake is named, with what to do instead.
- `explain(path, exc, ...)` after ONNX Runtime refused the file: the runtime's text is matched
  against the causes it reports (IR version newer than this runtime reads, opset newer than
  supported, an operator this runtime lacks, a missing external-data file, a damaged or
  truncated file).

Every refusal is a `ModelLoadError`: `str()` is one short message for the user; `details`
keeps the runtime's full text (for the log and the window's "Details" part), never cut;
`cause` is a stable word for tests and the UI; `downgrade_ir_to` is set when the file would
very likely load with its IR version lowered by one (see engine/onnx_inspect.downgrade_ir).
"""
from __future__ import annotations

import functools
import logging
import re
import zipfile
from pathlib import Path

from desktop_dl.core.errors import ModelFileError
from desktop_dl.core.i18n import N_, _

log = logging.getLogger("desktop_dl.onnx")

EXPORT_HINT = (N_("Export it to ONNX first (File > Export…, or `desktop-dl export --format "
                 "onnx`), then open the .onnx file."))


class ModelLoadError(ModelFileError):
    """A model file that cannot be opened; `str()` is the message, `details` the runtime's text."""

    def __init__(self, message: str, *, cause: str, details: str = "", downgrade_ir_to: int | None = None):
        super().__init__(message)
        self.cause = cause
        self.details = details
        self.downgrade_ir_to = downgrade_ir_to


# -- before parsing: what is this file? ---------------------------------------------------------
def sniff_not_onnx(path: Path, head: bytes) -> ModelLoadError | None:
    """A ModelLoadError naming what the file is when its first bytes show it is not ONNX, else None.

    `head`: the file's first bytes (512 are plenty). An ONNX file is a protobuf message, whose
    first byte is a field tag (0x08 ir_version, 0x12/0x1a/0x22/0x2a/0x3a/0x42/0x8a…); the
    formats below start with bytes no ONNX file starts with.
    """
    name = path.name
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _explain_zip(path)
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return ModelLoadError(
            _("{name} is an HDF5 file (a Keras .h5 model or weights), not an ONNX model. Open "
              "it in the Model tab (or save it as .keras), then export it to ONNX. "
              "{EXPORT_HINT}", name=name, EXPORT_HINT=EXPORT_HINT), cause="hdf5")
    if len(head) >= 8 and head[4:8] == b"TFL3":
        return ModelLoadError(
            _("{name} is a TensorFlow Lite model (.tflite flatbuffer), not ONNX. Convert it "
              "with `python -m tf2onnx.convert --tflite MODEL.tflite --output MODEL.onnx`, "
              "then open the .onnx file.", name=name),
            cause="tflite")
    if head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return ModelLoadError(
            _("{name} is a Python pickle (an old-style PyTorch .pt/.pth checkpoint or a "
              "scikit-learn model), not ONNX, and pickles can run code, so it is not opened. "
              "Export the model to ONNX where it was made (torch.onnx.export, or skl2onnx), "
              "then open the .onnx file.", name=name),
            cause="pickle")
    if _is_safetensors(head):
        return ModelLoadError(
            _("{name} is a safetensors weights file: it holds weights but no network, so it "
              "cannot be run alone. Export the full model to ONNX where it was made.", name=name), cause="safetensors")
    picture = _picture_kind(head)
    if picture:
        return ModelLoadError(
            _("{name} is a {picture} picture, not a model. Open it with \"Open picture…\" (or "
              "give it to `desktop-dl predict` after the model), and choose an .onnx file as "
              "the model.", name=name, picture=picture),
            cause="picture")
    if _looks_like_text(head):
        start = head[:40].decode("utf-8", "replace")
        return ModelLoadError(
            _("{name} is a text file, not an ONNX model (it starts with {start!r}). Choose a "
              "file exported as ONNX.", name=name, start=start), cause="text")
    return None


def _explain_zip(path: Path) -> ModelLoadError:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()[:2000]       # a listing, never the members' data
    except (zipfile.BadZipFile, OSError, ValueError):
        members = []
    leaves = {m.rsplit("/", 1)[-1] for m in members}
    if "config.json" in leaves and ("model.weights.h5" in leaves or "metadata.json" in leaves):
        return ModelLoadError(
            _("{name} is a zip archive: a Keras .keras model, not an ONNX model. {EXPORT_HINT}",
              name=name, EXPORT_HINT=EXPORT_HINT), cause="keras")
    if "data.pkl" in leaves or any(m.endswith("/version") or m == "version" for m in members):
        return ModelLoadError(
            _("{name} is a zip archive: a PyTorch .pt/.pth checkpoint, not an ONNX model. "
              "Export it with torch.onnx.export(model, example_input, \"model.onnx\") where it "
              "was trained, then open the .onnx file.", name=name), cause="pytorch")
    if members and all(m.endswith(".npy") for m in members):
        return ModelLoadError(
            _("{name} is a NumPy .npz archive (arrays, perhaps a dataset), not a model. Import "
              "it in the Data tab; choose an .onnx file as the model.", name=name), cause="npz")
    return ModelLoadError(
        _("{name} is a zip archive (perhaps a Keras .keras file), not an ONNX model. "
          "{EXPORT_HINT}", name=name, EXPORT_HINT=EXPORT_HINT),
        cause="zip")


def _is_safetensors(head: bytes) -> bool:
    if len(head) < 10:
        return False
    header_len = int.from_bytes(head[:8], "little")
    return 0 < header_len < 100_000_000 and head[8:9] == b"{" and head[9:10] in (b'"', b" ", b"\n")


def _picture_kind(head: bytes) -> str | None:
    signatures = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"),
                  (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"))
    for signature, kind in signatures:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[:2] == b"BM" and head[6:10] == b"\0\0\0\0":     # BMP: its reserved bytes are zero
        return "BMP"
    return None


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the end of the peek is still text.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return bool(text) and all(ch.isprintable() or ch in "\r\n\t" for ch in text)


# -- after ONNX Runtime refused it --------------------------------------------------------------
_IR = re.compile(r"Unsupported model IR version:\s*(\d+),\s*max supported IR version:\s*(\d+)")
_OPSET = re.compile(r"Opset (\d+) is under development.*?support for domain (\S+) is till opset (\d+)", re.S)
_OPSET_DOMAIN = re.compile(r"(?:opset|Opset)[^.]*?(\d+)[^.]*?domain[^.]*?(?:is till|up to)[^\d]*(\d+)")
_NO_KERNEL = re.compile(r"Could not find an implementation for (\w+)\((\d+)\)")
_NOT_REGISTERED = re.compile(r"([\w.]*):(\w+)\((-?\d+)\) is not a registered function/op")
_NO_OP = re.compile(r"No Op registered for (\w+) with domain_version of (\d+)")
_EXTERNAL = re.compile(r"External data path does not exist:\s*\"?([^\"\n]+)\"?")


def explain(path: Path, exc: BaseException, *, size: int, opset: int | None = None) -> ModelLoadError:
    """The ModelLoadError for ONNX Runtime's refusal `exc` of the file at `path` (`size` bytes).
    `opset`: the file's ai.onnx opset when known (a newer IR is only worth lowering when this
    runtime supports that opset). The runtime's full text goes to `details` and to the log."""
    details = f"{type(exc).__name__}: {exc}".strip()
    log.info("ONNX Runtime could not load %s: %s", path, details)
    name = path.name
    text = str(exc)

    found = _IR.search(text)
    if found:
        file_ir, max_ir = int(found.group(1)), int(found.group(2))
        highest = runtime_max_opset()
        opset_ok = opset is None or highest is None or opset <= highest
        one_step = file_ir == max_ir + 1 and opset_ok
        if one_step:
            how = (_(" It is only one IR version newer and its opset is supported here, so it "
                     "most likely loads with its IR version lowered in memory: `predict "
                     "--allow-ir-downgrade`, or \"Load anyway\" in the window."))
        elif not opset_ok:
            how = (_(" It also uses opset {opset}, newer than this runtime's {highest}: export "
                     "it again with opset {highest} or lower.", opset=opset, highest=highest))
        else:
            how = ""
        return ModelLoadError(
            _("{name} was saved by a newer ONNX (IR version {file_ir}) than this app's ONNX "
              "Runtime reads (IR ≤ {max_ir}). Save it again with an older onnx package "
              "(onnx.save after setting model.ir_version = {max_ir}), or update "
              "onnxruntime.{how}", name=name, file_ir=file_ir, max_ir=max_ir, how=how),
            cause="ir_version", details=details, downgrade_ir_to=max_ir if one_step else None)

    found = _OPSET.search(text)
    if found:
        asked, domain, highest = found.group(1), found.group(2), found.group(3)
        return ModelLoadError(
            _("{name} uses operator set (opset) {asked} of {domain}, newer than this app's "
              "ONNX Runtime supports (up to {highest}). Export it again with opset {highest} "
              "or lower (e.g. `--opset {highest}` in tf2onnx, opset_version={highest} in "
              "torch.onnx.export), or update onnxruntime.",
              name=name, asked=asked, domain=domain, highest=highest), cause="opset", details=details)

    for pattern, op_group, version_group in ((_NO_KERNEL, 1, 2), (_NOT_REGISTERED, 2, 3), (_NO_OP, 1, 2)):
        found = pattern.search(text)
        if found:
            op, version = found.group(op_group), found.group(version_group)
            domain = found.group(1) if pattern is _NOT_REGISTERED and found.group(1) else ""
            where = f" (domain {domain})" if domain else ""
            at = _(" at opset {version}", version=version) if version not in ("-1", "") else ""
            return ModelLoadError(
                _("{name} uses the operator {op}{where}{at}, which this app's ONNX Runtime "
                  "does not have. Export it again with a lower opset or without custom "
                  "operators, or update onnxruntime.", name=name, op=op, where=where, at=at), cause="operator", details=details)

    found = _EXTERNAL.search(text)
    if found:
        missing = Path(found.group(1).strip()).name
        return ModelLoadError(
            _("{name} keeps its weights in a separate file, {missing}, which is not next to "
              "it. Put {missing} in the same folder as {name} (copy both files together).",
              name=name, missing=missing),
            cause="external_data", details=details)

    if "Protobuf parsing failed" in text or "INVALID_PROTOBUF" in text:
        return truncated(path, size, details)
    return ModelLoadError(
        _("ONNX Runtime cannot load {name}: {useful_line}",
          name=name, useful_line=useful_line(text)), cause="runtime", details=details)


@functools.lru_cache(maxsize=1)
def runtime_max_opset() -> int | None:
    """The newest ai.onnx opset this ONNX Runtime supports, from its own refusal of a tiny model
    stamped with opset 999 (it says "support for domain ai.onnx is till opset N"); None if unknown."""
    try:
        import onnxruntime as ort
        from onnx import TensorProto, helper

        value = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])
        graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "probe", [value],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
        model = helper.make_model(graph, ir_version=8, opset_imports=[helper.make_opsetid("", 999)])
        ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    except Exception as exc:      # the refusal is the answer
        found = re.search(r"ai\.onnx is till opset (\d+)", str(exc))
        return int(found.group(1)) if found else None
    return None


def truncated(path: Path, size: int, details: str = "") -> ModelLoadError:
    """The message for a file that does not parse as ONNX (cut short in a download, or damaged)."""
    return ModelLoadError(
        _("{name} is not a readable ONNX model: it may be truncated or damaged ({size:,} "
          "bytes; a download cut short, or a copy still in progress). Download or export it "
          "again.", name=path.name, size=size),
        cause="truncated", details=details)


def useful_line(text: str) -> str:
    """The runtime's message without its C++ source location, short enough for one line."""
    text = re.sub(r"\[ONNXRuntimeError\] : \d+ : \w+ : ", "", text.strip())
    text = re.sub(r"/onnxruntime_src/\S+ [^)]*\)\s*", "", text)      # file:line signature(...)
    text = re.sub(r"Load model from \S+ failed:", "", text).strip()
    text = " ".join(text.split())
    return text if len(text) <= 240 else text[:120] + " … " + text[-110:]
