"""Vet a `.keras` file before Keras sees it: what it declares, what it would build, what it names.

Keras 3's `safe_mode` refuses Python lambdas, but a `.keras` file can still make Keras allocate
whatever its config declares (a 20000×20000 Dense is 1.6 GB before any weight is read), extract
its members into the temp folder, or point at files outside itself. So, without importing Keras:

1. the zip: regular file, size, member count, each member's declared size and compression ratio,
   no absolute or `..` member names (core/limits.py);
2. config.json: read with a size cap, parsed with a nesting cap, every serialised object's
   `module`/`class_name`/`registered_name` type-checked, the class *as Keras would resolve it*
   (the last dotted part of `class_name`, e.g. "layers.Lambda" → Lambda) checked against the
   refused classes, and the module's first dotted part required to be exactly "keras";
3. configs that reference files are refused (TFSMLayer, lookup/vectorisation vocabularies given
   as a path);
4. the weights each layer will create are multiplied out from its config and `build_config` and
   checked against `MAX_MODEL_WEIGHTS` and the free memory, before Keras builds anything;
5. model.weights.h5: every dataset's declared size checked against the memory limit and against
   the bytes it really stores (a huge dataset with no data is refused), and external storage,
   external links and virtual datasets (data in other files) refused.

Every problem is a ModelFileError naming the file; nothing here raises anything else.
"""
from __future__ import annotations

import math
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from desktop_dl.core import limits
from desktop_dl.core.errors import ModelFileError
from desktop_dl.core.i18n import N_, _

# Classes that run code, or load a model or a file from outside the .keras archive.
REFUSED_CLASSES = {
    "Lambda": N_("it holds Python code that would run when the model loads"),
    "__lambda__": N_("it holds Python code that would run when the model loads"),
    "TFSMLayer": N_("it loads a TensorFlow SavedModel from a folder outside the file"),
    "TorchModuleWrapper": N_("it holds a pickled PyTorch module (code)"),
    "JaxLayer": N_("it wraps Python functions (code)"),
    "FlaxLayer": N_("it wraps Python functions (code)"),
}
# Layers whose vocabulary may be a path to a text file instead of a list of words.
VOCABULARY_LAYERS = {"StringLookup", "IntegerLookup", "TextVectorization"}
WEIGHTS_MEMBERS = ("model.weights.h5", "model.weights.npz")
# An h5 dataset larger than this must store at least 1/EMPTY_RATIO of its bytes.
EMPTY_CHECK_ABOVE = 1 << 20
EMPTY_RATIO = 100
# Keras holds a model's weights about twice while loading (the built variables + the h5 copy).
LOAD_COPIES = 2


def check_keras_archive(path: str | Path) -> dict:
    """The vetted config of the .keras file at `path`; ModelFileError for anything refused."""
    path = Path(path)
    name = path.name
    size = limits.regular_file_size(path, ModelFileError)
    if size > limits.MAX_MODEL_BYTES:
        raise limits.refuse(name, _("the model file"), limits.human_size(size),
                            limits.human_size(limits.MAX_MODEL_BYTES), error=ModelFileError)
    if not zipfile.is_zipfile(path):
        hint = _(" It looks like an ONNX model; it can be used for drawing and `desktop-dl "
                 "predict`, but not loaded into Keras.") if path.suffix == ".onnx" else ""
        raise ModelFileError(_("{name} is not a Keras .keras file (a .keras file is a zip "
                               "archive holding config.json and the weights).{hint}",
                               name=name, hint=hint))
    try:
        with zipfile.ZipFile(path) as archive:
            _check_members(archive, name)
            raw = limits.read_member(archive, "config.json", name, limits.MAX_CONFIG_BYTES,
                                     ModelFileError)
            config = limits.parse_json(raw, f"{name} (config.json)",
                                       max_bytes=limits.MAX_CONFIG_BYTES, error=ModelFileError)
            if not isinstance(config, dict):
                raise ModelFileError(_("{name} is damaged: its config.json is not an object.",
                                       name=name))
            check_config(config, name)
            declared = declared_weight_count(config)
            _check_weight_count(declared, name)
            h5 = "model.weights.h5"
            if h5 in archive.namelist():
                check_h5_weights(archive, h5, name)
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, KeyError, IndexError, OverflowError) as exc:
        raise ModelFileError(_("{name} is damaged or not a Keras model: {name__} ({str}).",
                               name=name, name__=type(exc).__name__, str=str(exc)[:160])) from None
    return config


def _check_members(archive: zipfile.ZipFile, name: str) -> None:
    infos = archive.infolist()
    limits.check_members(name, len(infos), ModelFileError)
    total = 0
    for info in infos:
        member = PurePosixPath(info.filename.replace("\\", "/"))
        if member.is_absolute() or ".." in member.parts or ":" in info.filename:
            raise ModelFileError(_("{name} is unsafe: its part {filename!r} would be unpacked "
                                   "outside the model's own folder.",
                                   name=name, filename=info.filename))
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ModelFileError(_("{name} is unsafe: its part {filename!r} is a link.",
                                   name=name, filename=info.filename))
        limits.check_unpacked(name, info.filename, info.file_size, info.compress_size,
                              ModelFileError)
        total += info.file_size
    # Keras unpacks the whole archive to a temporary folder when it has assets.
    if total > limits.MAX_MODEL_BYTES:
        raise limits.refuse(name, _("the model unpacked"), limits.human_size(total),
                            limits.human_size(limits.MAX_MODEL_BYTES), error=ModelFileError)
    if "config.json" not in archive.namelist():
        raise ModelFileError(_("{name} is damaged or not a Keras model: its config.json cannot "
                               "be read (the archive has none).", name=name))


# -- config.json -----------------------------------------------------------------------------------
def serialized_objects(config: Any) -> Iterator[dict]:
    """Every dict of the config that names a class (`class_name`), found without recursion."""
    stack = [config]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "class_name" in node:
                yield node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def resolved_class(node: dict) -> str:
    """The class Keras will build for `node`: 'layers.Lambda' with module 'keras' is Lambda."""
    return node["class_name"].replace(">", ".").rsplit(".", 1)[-1]


def check_config(config: dict, name: str) -> None:
    """Refuse code, classes from outside Keras, malformed entries and references to files."""
    for node in serialized_objects(config):
        class_name, module = node.get("class_name"), node.get("module")
        registered = node.get("registered_name")
        inner = node.get("config")
        layer = inner.get("name") if isinstance(inner, dict) else None
        layer = layer if isinstance(layer, str) else "unnamed"
        if not isinstance(class_name, str) or not class_name:
            raise ModelFileError(_("{name} is damaged: a class name in its config is {name__}, "
                                   "not text.", name=name, name__=type(class_name).__name__))
        if module is not None and not isinstance(module, str):
            raise ModelFileError(_("{name} is damaged: the module of {class_name!r} is "
                                   "{name__}, not text.",
                                   name=name, class_name=class_name, name__=type(module).__name__))
        if registered is not None and not isinstance(registered, str):
            raise ModelFileError(_("{name} is damaged: the registered name of {class_name!r} "
                                   "is {name__}, not text.",
                                   name=name, class_name=class_name, name__=type(registered).__name__))
        for candidate in {resolved_class(node), *( [registered.replace(">", ".").rsplit(".", 1)[-1]]
                                                   if registered else [])}:
            if candidate in REFUSED_CLASSES:
                raise ModelFileError(
                    _("{name} contains a {candidate} layer ({layer}): {REFUSED_CLASSES}, so "
                      "desktop_dl refuses to open it. Rebuild the model from standard layers, "
                      "or load it in your own Python code if you trust its author.",
                      name=name, candidate=candidate, layer=layer, REFUSED_CLASSES=_(REFUSED_CLASSES[candidate])))
        if module and module.split(".")[0] != "keras":
            raise ModelFileError(
                _("{name} uses {class_name} from {module}, which is not part of Keras; "
                  "desktop_dl opens only models made of standard Keras layers.",
                  name=name, class_name=class_name, module=module))
        if registered and registered != class_name and ">" in registered:
            raise ModelFileError(_("{name} uses the custom class {registered!r} (someone's own "
                                   "code); desktop_dl opens only standard Keras layers.",
                                   name=name, registered=registered))
        if resolved_class(node) in VOCABULARY_LAYERS and isinstance(inner, dict) \
                and isinstance(inner.get("vocabulary"), str):
            raise ModelFileError(
                _("{name}: the layer {layer} reads its vocabulary from the file {inner!r}, "
                  "outside the model file; desktop_dl opens only models that carry everything "
                  "inside them.", name=name, layer=layer, inner=inner['vocabulary'][:80]))


# -- declared weights -------------------------------------------------------------------------------
def _ints(value) -> tuple[int, ...] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool)
                                       for v in value):
        return tuple(value)
    return None


def _int(config: dict, key: str, default: int = 0) -> int:
    value = config.get(key, default)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def layer_weight_count(node: dict, unknown_input: int = 0) -> int:
    """Weights a serialised layer will create when Keras builds it (0 when it makes none or the
    config does not say). Uses `build_config.input_shape` for the input size, as Keras does; a
    layer without one is assumed to get `unknown_input` values per sample (Keras would work the
    size out from the layers before it, e.g. a Flatten of a declared input)."""
    cls = resolved_class(node)
    cfg = node.get("config") if isinstance(node.get("config"), dict) else {}
    build = node.get("build_config")
    shape = build.get("input_shape") if isinstance(build, dict) else None
    last = shape[-1] if isinstance(shape, list) and shape else None
    if not isinstance(build, dict):
        last = unknown_input
    last = last if isinstance(last, int) and not isinstance(last, bool) and last > 0 else 0
    units, filters = _int(cfg, "units"), _int(cfg, "filters")
    if cls in ("Dense", "EinsumDense"):
        return (last + 1) * units
    if cls == "Embedding":
        return _int(cfg, "input_dim") * _int(cfg, "output_dim")
    if cls.startswith(("Conv", "SeparableConv", "DepthwiseConv")):
        kernel = _ints(cfg.get("kernel_size")) or (1,)
        area = math.prod(max(k, 0) for k in kernel)
        multiplier = _int(cfg, "depth_multiplier", 1) or 1
        if cls.startswith("DepthwiseConv"):
            return area * last * multiplier + last * multiplier
        if cls.startswith("SeparableConv"):
            return area * last * multiplier + last * multiplier * filters + filters
        return area * last * filters + filters
    if cls in ("SimpleRNN", "LSTM", "GRU"):
        gates = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[cls]
        return gates * units * (last + units + 2)
    if cls in ("BatchNormalization", "LayerNormalization", "GroupNormalization"):
        return 4 * last
    if cls == "MultiHeadAttention":
        heads, key_dim = _int(cfg, "num_heads"), _int(cfg, "key_dim")
        return 4 * (last + 1) * heads * key_dim + last
    if cls.endswith("Cell"):
        return 0                  # an RNN's cell: its weights were counted with the RNN layer
    # Unknown layers: any large size parameter still counts, so a declared monster is refused.
    return max(units, filters) * max(last, 1)


def _largest_declared_input(config: dict) -> int:
    """Values per sample of the largest shape the config declares anywhere (inputs, build
    configs): the most a layer with no build_config of its own can be fed."""
    largest = 0
    for node in serialized_objects(config):
        cfg = node.get("config") if isinstance(node.get("config"), dict) else {}
        build = node.get("build_config") if isinstance(node.get("build_config"), dict) else {}
        for shape in (cfg.get("batch_shape"), cfg.get("batch_input_shape"), build.get("input_shape")):
            if isinstance(shape, list):
                dims = [d for d in shape[1:] if isinstance(d, int) and not isinstance(d, bool) and d > 0]
                if dims:
                    largest = max(largest, math.prod(dims))
    return largest


def declared_weight_count(config: dict) -> int:
    """How many weights (values, not bytes) the layers of a .keras file's config.json declare,
    summed over every serialised layer via layer_weight_count; layers without a declared input
    size are sized by the largest input shape declared anywhere in the config. Reads the dict
    only; builds nothing."""
    unknown_input = _largest_declared_input(config)
    return sum(layer_weight_count(node, unknown_input) for node in serialized_objects(config))


def _check_weight_count(count: int, name: str) -> None:
    if count > limits.MAX_MODEL_WEIGHTS:
        raise limits.refuse(name, _("the number of weights its layers declare"), f"{count:,}",
                            f"{limits.MAX_MODEL_WEIGHTS:,}",
                            _("The model is far larger than desktop_dl can train or run."),
                            ModelFileError)
    limits.check_allocation(count * 4 * LOAD_COPIES, f"{name} (its {count:,} weights)",
                            error=ModelFileError)


# -- model.weights.h5 -----------------------------------------------------------------------------
def check_h5_weights(archive: zipfile.ZipFile, member: str, name: str) -> None:
    """Declared dataset sizes, stored bytes and links to other files of the weights file.

    Raises ModelFileError when `member` of `archive` cannot be read as HDF5, when a weight links
    to or keeps its data in another file, declares far more bytes than it stores, or when the
    weights' total bytes exceed MAX_MODEL_WEIGHTS × 8 or the memory a load would need."""
    import h5py

    total = 0
    problems: list[str] = []

    def visit(item_name: str, link) -> None:
        nonlocal total
        if isinstance(link, (h5py.ExternalLink, h5py.SoftLink)):
            problems.append(_("its weights file links to {item_name!r} elsewhere",
                              item_name=item_name))
            return
        obj = h5.get(item_name)
        if not isinstance(obj, h5py.Dataset):
            return
        if obj.external or obj.is_virtual:
            problems.append(_("the weight {item_name!r} keeps its data in another file",
                              item_name=item_name))
            return
        declared = limits.array_elements(obj.shape or ()) * obj.dtype.itemsize
        if declared > EMPTY_CHECK_ABOVE and obj.id.get_storage_size() * EMPTY_RATIO < declared:
            problems.append(_("the weight {item_name!r} declares {human_size} but stores "
                              "{human_size2}",
                              item_name=item_name, human_size=limits.human_size(declared), human_size2=limits.human_size(obj.id.get_storage_size())))
            return
        total += declared

    try:
        with archive.open(member) as fh, h5py.File(fh, "r") as h5:
            h5.visititems_links(visit)      # h5py >= 3.11: links are visited, not followed
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise ModelFileError(_("{name} is damaged: its weights file cannot be read ({str}).",
                               name=name, str=str(exc)[:160])) from None
    if problems:
        raise ModelFileError(_("{name} is refused: {problems}. The file is damaged or built to "
                               "exhaust memory.", name=name, problems=problems[0]))
    if total > limits.MAX_MODEL_WEIGHTS * 8:
        raise limits.refuse(name, _("the size of its weights"), limits.human_size(total),
                            limits.human_size(limits.MAX_MODEL_WEIGHTS * 8), error=ModelFileError)
    limits.check_allocation(total * LOAD_COPIES, _("{name} (its weights)", name=name), error=ModelFileError)
