"""What an ONNX file declares, read with the onnx package before ONNX Runtime runs anything.

- `read_facts(path)`: the parsed graph without external weights (ir_version, opsets, metadata,
  class labels of scikit-learn/ONNX-ML classifiers and ZipMap nodes, which operator produces
  each output). None when the file does not parse (ONNX Runtime then gets to say why).
- `check_declared_sizes(facts, path)`: a file of a few hundred bytes can declare gigabytes
  (a 30000×30000 weight without data, an external file that is not there or lies outside the
  model's folder); refused before any of it is allocated.
- `check_trial_memory(facts, path, input_name, shape)`: the shapes every tensor takes on the
  trial input (onnx shape inference with data propagation), refused when one alone would be
  larger than `MAX_TENSOR_BYTES` (a `ConstantOfShape` of 60000×60000 is 14 GB).
- `read_metadata(props)`: the `desktop_dl` metadata JSON and other tools' class names, with size,
  nesting-depth and type checks (a deeply nested JSON made `json.loads` raise RecursionError).
- `downgrade_ir(path, target)`: the model's bytes with its IR version lowered (the user's choice,
  for a file one IR version newer than this ONNX Runtime reads).

Importing this module imports neither onnx nor onnxruntime; the functions do, lazily.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from desktop_dl.core.errors import ModelFileError
from desktop_dl.core.resource_limits import human_bytes
from desktop_dl.core.i18n import _

# Limits for a digit-recognition app: real classifiers (even ResNet-50, 100 MB) fit far below.
MAX_FILE_BYTES = 2 * 1024 ** 3           # protobuf cannot hold more anyway
MAX_WEIGHT_BYTES = 2 * 1024 ** 3         # all initializers together, external files included
MAX_TENSOR_BYTES = 512 * 1024 ** 2       # any one tensor during the trial run
MAX_INPUT_SIDE = 4096                    # pixels: an image input larger than this is not fed
MAX_METADATA_CHARS = 1_000_000
MAX_METADATA_DEPTH = 20
MAX_CLASS_NAMES = 100_000

_ML_CLASSIFIERS = ("LinearClassifier", "SVMClassifier", "TreeEnsembleClassifier")
# Operators that pass scores through unchanged in meaning (shape or type only).
_PASS_THROUGH = ("Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Cast", "Transpose")


@dataclass
class OnnxFacts:
    """What an ONNX file declares, read with the onnx package (external data not loaded): IR
    version, opsets by domain, metadata_props, ZipMap labels per output and the ONNX-ML
    classifier's labels (ONNX-ML operator spec: ZipMap, LinearClassifier, SVMClassifier,
    TreeEnsembleClassifier), and the operator type producing each output."""
    model: object                                   # onnx.ModelProto, external data not loaded
    ir_version: int
    opsets: dict[str, int]
    metadata: dict[str, str]                        # metadata_props as they are
    zipmap_labels: dict[str, list[str]] = field(default_factory=dict)    # output name → labels
    classifier_labels: list[str] | None = None     # of the (single) ONNX-ML classifier node
    producer_op: dict[str, str] = field(default_factory=dict)           # output name → op type


def read_facts(path: Path, size: int) -> OnnxFacts | None:
    """The file's declarations, or None when it does not parse as an ONNX ModelProto."""
    if size > MAX_FILE_BYTES:
        raise ModelFileError(_("{name} is {human_bytes}; ONNX files hold at most "
                               "{human_bytes2}. Choose the model's .onnx file.",
                               name=path.name, human_bytes=human_bytes(size), human_bytes2=human_bytes(MAX_FILE_BYTES)))
    import onnx
    from google.protobuf.message import DecodeError

    try:
        model = onnx.load_model(str(path), load_external_data=False)
    except (DecodeError, ValueError, RecursionError, OSError, UnicodeDecodeError):
        return None
    except Exception:   # protobuf backends raise their own types for corrupt wire data
        return None
    facts = OnnxFacts(model=model, ir_version=int(model.ir_version),
                      opsets={(o.domain or "ai.onnx"): int(o.version) for o in model.opset_import},
                      metadata={p.key: p.value for p in model.metadata_props})
    producers = {out: node for node in model.graph.node for out in node.output}
    for node in model.graph.node:
        if node.op_type == "ZipMap":
            facts.zipmap_labels[node.output[0]] = _labels_of(node)
        elif node.op_type in _ML_CLASSIFIERS:
            labels = _labels_of(node)
            facts.classifier_labels = labels if facts.classifier_labels is None else None
    for out in model.graph.output:
        facts.producer_op[out.name] = _source_op(out.name, producers)
    return facts


def _labels_of(node) -> list[str]:
    from onnx import helper

    for attr in node.attribute:
        if attr.name in ("classlabels_strings", "classlabels_ints", "classlabels_int64s"):
            values = helper.get_attribute_value(attr)
            return [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in values]
    return []


def _source_op(name: str, producers: dict) -> str:
    """The operator that gives `name` its meaning, looking through reshapes and casts."""
    for _unused in range(50):
        node = producers.get(name)
        if node is None:
            return ""
        if node.op_type not in _PASS_THROUGH or not node.input:
            return node.op_type
        name = node.input[0]
    return ""


# -- declared sizes --------------------------------------------------------------------------------
def check_declared_sizes(facts: OnnxFacts, path: Path) -> None:
    """Refuse (ModelFileError) weights that are larger than allowed, declared without their data,
    or kept in an external file that is missing, too short or outside the model's folder."""
    from onnx import TensorProto, helper

    total = 0
    folder = path.resolve().parent
    for tensor in _all_constant_tensors(facts.model.graph):
        try:
            itemsize = helper.tensor_dtype_to_np_dtype(tensor.data_type).itemsize
        except (KeyError, TypeError, ValueError):
            itemsize = 4
        count = math.prod(int(d) for d in tensor.dims)
        if any(d < 0 for d in tensor.dims):
            raise ModelFileError(_("{name} is damaged: the weight {name2!r} has a negative "
                                   "size.", name=path.name, name2=tensor.name))
        nbytes = count * itemsize
        total += nbytes
        if total > MAX_WEIGHT_BYTES:
            raise ModelFileError(
                _("{name} declares {human_bytes} of weights or more, over this app's limit of "
                  "{human_bytes2}; it is not loaded.",
                  name=path.name, human_bytes=human_bytes(total), human_bytes2=human_bytes(MAX_WEIGHT_BYTES)))
        if tensor.data_location == TensorProto.EXTERNAL:
            _check_external(tensor, nbytes, folder, path)
            continue
        stored = _stored_count(tensor, itemsize)
        if stored is not None and stored != count:
            raise ModelFileError(
                _("{name} is damaged: the weight {name2!r} declares {count:,} values "
                  "({human_bytes}) but holds {stored:,}. Export the model again.",
                  name=path.name, name2=tensor.name, count=count, human_bytes=human_bytes(nbytes), stored=stored))


def _all_constant_tensors(graph):
    """Initializers and Constant nodes' values, subgraphs (If/Loop bodies) included."""
    stack = [graph]
    while stack:
        g = stack.pop()
        yield from g.initializer
        for node in g.node:
            for attr in node.attribute:
                if attr.HasField("t"):
                    yield attr.t
                if attr.HasField("g"):
                    stack.append(attr.g)
                stack.extend(attr.graphs)


# Element types packed below a byte (uint4, int4, float4e2m1, uint2, int2): bits per element.
_PACKED_BITS = {21: 4, 22: 4, 23: 4, 25: 2, 26: 2}


def _stored_count(tensor, itemsize: int) -> int | None:
    """How many values the tensor really holds (None when that cannot be told simply)."""
    bits = _PACKED_BITS.get(tensor.data_type)
    if bits:
        if not tensor.raw_data:
            return None
        count = math.prod(int(d) for d in tensor.dims)
        # Packed: ceil(count · bits / 8) bytes; report the declared count when they match.
        return count if len(tensor.raw_data) == -(-count * bits // 8) else len(tensor.raw_data) * 8 // bits
    if tensor.raw_data:
        return len(tensor.raw_data) // max(1, itemsize)
    counts = [len(tensor.float_data), len(tensor.int32_data), len(tensor.int64_data),
              len(tensor.double_data), len(tensor.uint64_data), len(tensor.string_data)]
    stored = max(counts)
    if tensor.data_type in (14, 15):          # complex: two numbers per value
        stored //= 2
    return stored


def _check_external(tensor, nbytes: int, folder: Path, path: Path) -> None:
    entries = {e.key: e.value for e in tensor.external_data}
    location = entries.get("location", "")
    target = (folder / location).resolve()
    if not location or Path(location).is_absolute() or not target.is_relative_to(folder):
        raise ModelFileError(
            _("{name} asks to read its weights from {location!r}, outside its own folder; for "
              "safety only files next to the model are read.", name=path.name, location=location))
    if not target.is_file():
        raise ModelFileError(
            _("{name} keeps its weights in a separate file, {name2}, which is not next to it. "
              "Put {name2} in the same folder as {name} (copy both files together).",
              name=path.name, name2=Path(location).name))
    try:
        offset = int(entries.get("offset", 0) or 0)
        length = int(entries.get("length", nbytes) or nbytes)
    except ValueError:
        raise ModelFileError(_("{name} is damaged: the weight {name2!r} has an unreadable "
                               "external-data offset or length.",
                               name=path.name, name2=tensor.name)) from None
    if offset < 0 or length < nbytes or offset + length > target.stat().st_size:
        raise ModelFileError(
            _("{name}'s weights file {name2} is shorter than the model declares (the weight "
              "{name3!r} needs {human_bytes} at byte {offset:,}); it may be truncated. Copy it "
              "again.",
              name=path.name, name2=target.name, name3=tensor.name, human_bytes=human_bytes(nbytes), offset=offset))


def check_trial_memory(facts: OnnxFacts, path: Path, input_name: str, shape: tuple[int, ...]) -> None:
    """Refuse a model in which one tensor would exceed MAX_TENSOR_BYTES on an input of `shape`."""
    import onnx
    from onnx import helper

    model = onnx.ModelProto()
    model.CopyFrom(facts.model)
    for value in model.graph.input:
        if value.name == input_name and value.type.HasField("tensor_type"):
            dims = value.type.tensor_type.shape.dim
            if len(dims) == len(shape):
                for dim, size in zip(dims, shape):
                    dim.Clear()
                    dim.dim_value = int(size)
    try:
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=False, data_prop=True)
    except Exception:      # custom operators and odd graphs: nothing more can be known statically
        return
    graph = inferred.graph
    for value in list(graph.value_info) + list(graph.output):
        tensor_type = value.type.tensor_type
        dims = [d.dim_value if d.HasField("dim_value") else None for d in tensor_type.shape.dim]
        if not dims or any(d is None for d in dims):
            continue
        try:
            itemsize = helper.tensor_dtype_to_np_dtype(tensor_type.elem_type).itemsize
        except (KeyError, TypeError, ValueError):
            itemsize = 4
        nbytes = math.prod(dims) * itemsize
        if nbytes > MAX_TENSOR_BYTES:
            raise ModelFileError(
                _("{name} would make a tensor {name2!r} of shape {tuple} ({human_bytes}) from "
                  "one input of shape {shape}, over this app's limit of {human_bytes2} per "
                  "tensor; it is not run.",
                  name=path.name, name2=value.name, tuple=tuple(dims), human_bytes=human_bytes(nbytes), shape=shape, human_bytes2=human_bytes(MAX_TENSOR_BYTES)))


def check_input_size(path: Path, shape: tuple[int, ...], itemsize: int, image_side: tuple[int, int] | None) -> None:
    """Refuse a declared input larger than the recognizer feeds (before allocating it)."""
    if image_side and max(image_side) > MAX_INPUT_SIDE:
        raise ModelFileError(
            _("{name} takes pictures of {image_side}×{image_side2} pixels; this app feeds "
              "pictures up to {MAX_INPUT_SIDE}×{MAX_INPUT_SIDE}. Choose a model with a smaller "
              "input.",
              name=path.name, image_side=image_side[0], image_side2=image_side[1], MAX_INPUT_SIDE=MAX_INPUT_SIDE))
    nbytes = math.prod(shape) * itemsize
    if nbytes > MAX_TENSOR_BYTES:
        raise ModelFileError(
            _("{name} declares an input of shape {shape} ({human_bytes} for one sample), over "
              "this app's limit of {human_bytes2}; it is not run.",
              name=path.name, shape=shape, human_bytes=human_bytes(nbytes), human_bytes2=human_bytes(MAX_TENSOR_BYTES)))


# -- metadata ---------------------------------------------------------------------------------------
_CLASS_NAME_KEYS = ("class_names", "classes", "labels", "classlabels")


def read_metadata(props: dict[str, str]) -> dict:
    """Our `desktop_dl` metadata (types checked; wrong-typed fields dropped), else other tools'
    class names as {"class_names": [...]}, else {}. Never raises."""
    raw = props.get("desktop_dl")
    if isinstance(raw, str) and raw:
        meta = _bounded_json(raw)
        if isinstance(meta, dict):
            return _checked(meta)
    for key in _CLASS_NAME_KEYS:
        names = props.get(key)
        if isinstance(names, str) and names.strip():
            parsed = _bounded_json(names)
            if isinstance(parsed, list) and all(isinstance(n, (str, int, float)) for n in parsed):
                return {"class_names": [str(n) for n in parsed[:MAX_CLASS_NAMES]]}
            if isinstance(parsed, dict) and parsed and all(str(k).isdigit() for k in parsed):
                return {"class_names": [str(parsed[k]) for k in sorted(parsed, key=int)][:MAX_CLASS_NAMES]}
            if parsed is None and len(names) <= MAX_METADATA_CHARS:
                return {"class_names": [n.strip() for n in re.split(r"[,\n]", names) if n.strip()]}
    return {}


def _bounded_json(text: str):
    """json.loads, or None when the text is too long, too deeply nested or not JSON."""
    if len(text) > MAX_METADATA_CHARS or _nesting_depth(text) > MAX_METADATA_DEPTH:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _nesting_depth(text: str) -> int:
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _checked(meta: dict) -> dict:
    """Our metadata with each field the recognizer reads type-checked; a bad field is dropped."""
    out = dict(meta)
    names = meta.get("class_names")
    if not (isinstance(names, list) and len(names) <= MAX_CLASS_NAMES
            and all(isinstance(n, (str, int, float)) for n in names)):
        out.pop("class_names", None)
    for key in ("preprocessing", "output", "input"):
        if key in meta and not isinstance(meta[key], dict):
            out.pop(key)
    prep = dict(out.get("preprocessing") or {})
    scale = prep.get("pixel_scale")
    if scale is not None and not (isinstance(scale, (int, float)) and math.isfinite(scale) and 0 < scale <= 1e6):
        prep.pop("pixel_scale")
    if "preprocessing" in out:
        out["preprocessing"] = prep
    kind = (out.get("output") or {}).get("kind")
    if kind is not None and kind not in ("probabilities", "logits", "sigmoid", "values"):
        out["output"] = {k: v for k, v in out["output"].items() if k != "kind"}
    layout = (out.get("input") or {}).get("layout")
    if layout is not None and layout not in ("NHWC", "NCHW"):
        out["input"] = {k: v for k, v in out["input"].items() if k != "layout"}
    if not isinstance(out.get("kind", ""), str):
        out.pop("kind")
    return out


# -- IR down-conversion -------------------------------------------------------------------------------
def downgrade_ir(facts: OnnxFacts, target: int) -> bytes:
    """The model (external data left where it is) serialised with ir_version = `target`.

    Only the version stamp changes: for a file one IR version newer whose operators and types
    this runtime knows, that is what re-saving it with the older onnx package would write. ONNX
    Runtime still validates the result, so a model that really needs the newer IR fails to load.
    """
    import onnx

    model = onnx.ModelProto()
    model.CopyFrom(facts.model)
    model.ir_version = int(target)
    return model.SerializeToString()
