"""What the network sees: every layer's activations for one digit, through ONNX Runtime.

`ActivationModel.open(path)` reads one of our ONNX exports (or any ONNX image classifier) with
the `onnx` package, finds the layers worth showing and adds their output tensors as extra graph
outputs, so one ONNX Runtime call returns the prediction and every intermediate activation.
No TensorFlow, no Keras: it works on any exported file, and one call on a small CNN costs about
as much as the prediction alone (tens of microseconds).

Layers are found by operator, not by name, so files from other tools work too:
  convolution  a Conv node (a depthwise Conv followed by a 1×1 Conv is one SeparableConv2D),
               through its activation (Relu, Sigmoid, Tanh, ...): a (channels, height, width) map
  dense        a MatMul/Gemm with a 2-D weight, through its bias Add and activation (Softmax
               included): a vector of values
The first layer's weights are read from the initializers: a convolution's kernels as
(filters, kh, kw) images, or, for a dense first layer on a 28×28 image, each unit's 784 weights
as a 28×28 image (the classic picture of what an MNIST dense net looks for).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from desktop_dl.core.errors import ModelFileError
from desktop_dl.core.i18n import _

# Element-wise operators that belong to the layer before them (its activation function).
_ACTIVATIONS = {"Relu", "LeakyRelu", "Sigmoid", "Tanh", "Elu", "Selu", "Softplus", "Softsign",
                "HardSigmoid", "HardSwish", "Clip", "Gelu", "Mish", "PRelu", "ThresholdedRelu",
                "Softmax", "LogSoftmax", "Celu"}


@dataclass
class ActivationLayer:
    """One layer the activation view can show: a Conv (kind "conv", per-sample shape (channels,
    height, width)) or a Gemm/MatMul (kind "dense", shape (units,)) output tensor of the ONNX
    graph, with the element-wise activation operator that follows it folded in."""
    kind: str                  # "conv" | "dense"
    title: str                 # e.g. "Conv2D 1", "SeparableConv2D 1", "Dense 2"
    tensor: str                # the ONNX tensor shown
    activation: str = ""       # the ONNX activation operator folded in, if any
    shape: tuple = ()          # per sample: (channels, height, width) or (units,)


@dataclass
class ActivationModel:
    """A 28×28 digit ONNX model opened for the activation view: its showable layers, the first
    layer's weights as (n, h, w) float32 images (Conv filters averaged over input channels, or
    up to 64 dense units as 28×28) or None, the input name and shape (batch 1 included), and a
    CPU ONNX Runtime session whose outputs include every layer's tensor. Open it with
    ActivationModel.open(path), which raises ModelFileError for a file that cannot be read or
    used."""
    path: Path
    layers: list[ActivationLayer]
    filters: np.ndarray | None          # (n, h, w) first layer's weights as images, or None
    filters_title: str = ""
    input_name: str = ""
    input_shape: tuple = ()             # batch 1 included
    output_names: list[str] = field(default_factory=list)
    provider: str = ""
    _session: object = None

    @classmethod
    def open(cls, path) -> "ActivationModel":
        """Read `path`; raises ModelFileError (a message for the user) when it is not usable."""
        import onnx

        path = Path(path)
        try:
            model = onnx.load(str(path))
        except Exception as exc:
            raise ModelFileError(_("{name} is not an ONNX model that can be read ({error}); "
                                   "export it again from desktop_dl.",
                                   name=path.name, error=exc.__class__.__name__)) from None
        graph = model.graph
        initializers = {t.name: t for t in graph.initializer}
        inputs = [i for i in graph.input if i.name not in initializers]
        if len(inputs) != 1:
            raise ModelFileError(_("{name} has {count} inputs; the activation view needs an "
                                   "image model with exactly one input.",
                                   name=path.name, count=len(inputs)))
        layers, first_weights = _find_layers(graph, initializers)
        if not layers:
            raise ModelFileError(_("{name} has no convolution or dense layers to show.",
                                   name=path.name))

        existing = {o.name for o in graph.output}
        for layer in layers:
            if layer.tensor not in existing:
                graph.output.append(onnx.helper.make_tensor_value_info(layer.tensor, onnx.TensorProto.FLOAT, None))
                existing.add(layer.tensor)
        input_shape = _batch_one_shape(inputs[0])
        if int(np.prod(input_shape)) != 28 * 28:
            raise ModelFileError(_("{name} takes inputs of shape {input_shape}, not a 28×28 "
                                   "image; the activation view works with digit models.",
                                   name=path.name, input_shape=input_shape[1:]))
        try:
            from desktop_dl.engine.onnx_providers import create_session, session_options
            # One image at a time: CPU with one thread beats any hand-off (and a GPU round trip).
            session, provider = create_session(model.SerializeToString(), session_options(1),
                                               preference="cpu")
        except Exception as exc:
            raise ModelFileError(_("ONNX Runtime cannot run {name} with its layer outputs "
                                   "exposed ({error}).",
                                   name=path.name, error=exc.__class__.__name__)) from None
        names = [o.name for o in session.get_outputs()]
        result = cls(path, layers, None, "", inputs[0].name, input_shape, names, provider, session)
        result.filters, result.filters_title = _filter_images(first_weights, layers[0])
        # Learn every layer's shape from a blank image (cheap, and exact whatever the layout).
        for layer, value in zip(layers, result.run(np.zeros((28, 28), np.float32))):
            layer.shape = tuple(value.shape)
        return result

    def run(self, image28: np.ndarray) -> list[np.ndarray]:
        """Activations per layer for one (28, 28) image in 0..1: (c, h, w) or (units,) each."""
        x = np.asarray(image28, dtype=np.float32).reshape(self.input_shape)
        values = dict(zip(self.output_names, self._session.run(None, {self.input_name: x})))
        out = []
        for layer in self.layers:
            v = np.asarray(values[layer.tensor])[0]
            if layer.kind == "conv":
                v = v.reshape((-1,) + v.shape[-2:]) if v.ndim >= 2 else v.reshape(1, 1, -1)
            else:
                v = v.reshape(-1)
            out.append(v)
        return out


def _batch_one_shape(value_info) -> tuple:
    dims = value_info.type.tensor_type.shape.dim
    shape = [d.dim_value if d.dim_value > 0 else 1 for d in dims]
    return tuple(shape) if shape else (1, 28, 28, 1)


def _find_layers(graph, initializers):
    consumers: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    def only_consumer(tensor):
        users = consumers.get(tensor, [])
        return users[0] if len(users) == 1 else None

    def follow_activation(tensor):
        """Past a bias Add (constant operand) and element-wise activations: the layer's output."""
        act = ""
        while True:
            nxt = only_consumer(tensor)
            if nxt is None:
                return tensor, act
            if nxt.op_type == "Add" and any(i in initializers for i in nxt.input) and not act:
                tensor = nxt.output[0]
            elif nxt.op_type in _ACTIVATIONS:
                act = nxt.op_type
                tensor = nxt.output[0]
            else:
                return tensor, act

    layers: list[ActivationLayer] = []
    first_weights = None
    used: set[str] = set()
    counts = {"Conv2D": 0, "SeparableConv2D": 0, "DepthwiseConv2D": 0, "Dense": 0}
    for node in graph.node:
        if node.name and node.name in used:
            continue
        if node.op_type == "Conv" and len(node.input) > 1 and node.input[1] in initializers:
            weight = initializers[node.input[1]]
            group = next((a.i for a in node.attribute if a.name == "group"), 1)
            kind_name = "Conv2D"
            out = node.output[0]
            if group > 1:
                kind_name = "DepthwiseConv2D"
                nxt = only_consumer(out)
                # SeparableConv2D exports as a depthwise Conv feeding a 1×1 Conv.
                if (nxt is not None and nxt.op_type == "Conv" and len(nxt.input) > 1
                        and nxt.input[1] in initializers
                        and list(initializers[nxt.input[1]].dims[2:]) == [1, 1]):
                    kind_name = "SeparableConv2D"
                    used.add(nxt.name)
                    out = nxt.output[0]
            tensor, act = follow_activation(out)
            counts[kind_name] += 1
            layers.append(ActivationLayer("conv", f"{kind_name} {counts[kind_name]}", tensor, act))
            if first_weights is None:
                first_weights = ("conv", _array(weight))
        elif node.op_type in ("MatMul", "Gemm") and len(node.input) > 1 and node.input[1] in initializers:
            weight = initializers[node.input[1]]
            if len(weight.dims) != 2:
                continue
            transposed = node.op_type == "Gemm" and any(a.name == "transB" and a.i for a in node.attribute)
            tensor, act = follow_activation(node.output[0])
            counts["Dense"] += 1
            layers.append(ActivationLayer("dense", f"Dense {counts['Dense']}", tensor, act))
            if first_weights is None:
                w = _array(weight)
                first_weights = ("dense", w.T if transposed else w)
    return layers, first_weights


def _array(tensor) -> np.ndarray:
    from onnx import numpy_helper
    return numpy_helper.to_array(tensor).astype(np.float32)


def _filter_images(first, layer: ActivationLayer) -> tuple[np.ndarray | None, str]:
    if first is None:
        return None, ""
    kind, w = first
    if kind == "conv" and w.ndim == 4:
        # OIHW; a filter looking at several channels is shown as their mean.
        return w.mean(axis=1), f"{layer.title}: {w.shape[0]} filters, {w.shape[2]}×{w.shape[3]}"
    if kind == "dense" and w.shape[0] == 28 * 28:
        units = min(w.shape[1], 64)
        return w[:, :units].T.reshape(units, 28, 28), _("{title}: weights of {units} units as "
                                                        "28×28 images",
                                                        title=layer.title, units=units)
    return None, ""
