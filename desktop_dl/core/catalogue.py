"""The layer catalogue: each Keras layer the app offers, declared once as data.

The palette, the property panel, validation, shape inference, Keras building and Python export
are all driven by these declarations (see ../shared/STYLE.md §5). Adding a layer means adding one
entry here (and its test), not editing five files.

Parameter names are Keras keyword arguments, so `getattr(keras.layers, type)(**params)` builds the
layer (engine/keras_build.py turns JSON lists into tuples). Shapes here never include the batch
dimension; `None` is a free dimension (a sequence of any length).

"Input" is a pseudo-entry: the spec keeps the input in `ModelSpec.input_shape` / `input_dtype`,
never in `layers`. The editor shows it as a fixed first row whose `shape` and `dtype` params edit
those two fields (see `input_params` / `with_input_params`).
"""
from __future__ import annotations

from desktop_dl.core import shape_rules as rules
from desktop_dl.core.layer_types import LayerOutput, LayerType, Param, ShapeError
from desktop_dl.core.shape_rules import describe_shape

GROUPS = ("core", "convolution", "pooling", "recurrent", "regularisation", "augmentation")
ACTIVATIONS = ("relu", "sigmoid", "softmax", "tanh", "elu", "gelu", "linear")
INPUT_DTYPES = ("float32", "int32")


# -- the declarations ----------------------------------------------------------------------------
def _activation(default="relu", help_="The function applied to each output value.") -> Param:
    return Param("activation", "choice", default, help_, choices=ACTIVATIONS)


_USE_BIAS = Param("use_bias", "bool", True, "Add a learned offset (bias) to each output.")
_FILL = Param("fill_mode", "choice", "reflect",
              "How to fill pixels that move in from outside the picture.",
              choices=("reflect", "wrap", "constant", "nearest"))
_PAD = Param("padding", "choice", "valid",
             "\"valid\": no padding, the output shrinks; \"same\": pad so the output keeps the "
             "size (when strides is 1).", choices=("valid", "same"))

_ENTRIES = [
    LayerType("Input", "core",
              "The shape of one sample that enters the network (without the batch). Always the "
              "first row; a dataset sets it for you.",
              (Param("shape", "shape", (28, 28, 1),
                     "Sizes of one sample, e.g. (28, 28, 1) for a grey 28×28 image or (10,) for 10 "
                     "features. Leave a size empty for a sequence of any length.",
                     minimum=1, maximum=1_000_000),
               Param("dtype", "choice", "float32",
                     "float32 for numbers; int32 for token ids that feed an Embedding.",
                     choices=INPUT_DTYPES)),
              rules.input_rule,
              output_activation="own", positional=(), title="Input",
              figures="input"),
    LayerType("Dense", "core",
              "Connects every input value to every output unit (a fully connected layer). Use it "
              "on vectors, e.g. after Flatten, and as the output layer.",
              (Param("units", "int", 64, "Number of output values (neurons).", 1, 100_000),
               _activation("relu"), _USE_BIAS),
              rules.dense,
              output_activation="own", positional=("units",), title="Dense({units}, {activation})",
              figures="dense"),
    LayerType("Activation", "core",
              "Applies an activation function to every value; the shape does not change.",
              (_activation("relu"),), rules.same_shape,
              output_activation="own", positional=("activation",), title="Activation",
              figures="unchanged"),
    LayerType("Flatten", "core",
              "Unrolls an image or sequence into one long vector, e.g. 28×28×1 → 784, so that "
              "Dense layers can take it.", (), rules.flatten,
              output_activation="passes", positional=(), title="Flatten",
              figures="flatten"),
    LayerType("Reshape", "core",
              "Rearranges the values into a new shape with the same number of values, e.g. "
              "784 → (28, 28, 1) so that convolutions can see an image.",
              (Param("target_shape", "shape", (28, 28, 1),
                     "The new shape without the batch; one size may be -1 to be worked out.",
                     minimum=-1, maximum=1_000_000),),
              rules.reshape,
              output_activation="passes", positional=("target_shape",), title="Reshape",
              figures="reshape"),
    LayerType("Conv1D", "convolution",
              "Slides small filters along a sequence to detect local patterns (e.g. in text or "
              "signals). Needs input shaped (steps, features).",
              (Param("filters", "int", 32, "Number of filters (output channels).", 1, 4096),
               Param("kernel_size", "int", 3, "Length of each filter in steps.", 1, 1024),
               Param("strides", "int", 1, "Step between filter positions.", 1, 64),
               Param("padding", "choice", "valid",
                     "\"valid\": no padding; \"same\": keep the length; \"causal\": only look at "
                     "past steps.", choices=("valid", "same", "causal")),
               _activation("relu"), _USE_BIAS),
              rules.conv1d,
              output_activation="own", positional=("filters", "kernel_size"), title="Conv1D({filters}, {kernel_size}, {activation})",
              figures="conv1d"),
    LayerType("Conv2D", "convolution",
              "Slides small filters over an image to detect local patterns such as edges and "
              "strokes. Needs input shaped (height, width, channels).",
              (Param("filters", "int", 32, "Number of filters (output channels).", 1, 4096),
               Param("kernel_size", "int_or_pair", 3,
                     "Filter size: one number for a square, or (height, width).", 1, 64),
               Param("strides", "int_or_pair", 1, "Step between filter positions.", 1, 16),
               _PAD, _activation("relu"), _USE_BIAS),
              rules.conv2d_like("Conv2D", False),
              output_activation="own", positional=("filters", "kernel_size"), title="Conv2D({filters}, {kernel_size}, {activation})",
              figures="conv2d"),
    LayerType("SeparableConv2D", "convolution",
              "A cheaper Conv2D: filters each channel on its own, then mixes channels with 1×1 "
              "filters. Similar accuracy with far fewer parameters.",
              (Param("filters", "int", 32, "Number of filters (output channels).", 1, 4096),
               Param("kernel_size", "int_or_pair", 3,
                     "Filter size: one number for a square, or (height, width).", 1, 64),
               Param("strides", "int_or_pair", 1, "Step between filter positions.", 1, 16),
               _PAD,
               Param("depth_multiplier", "int", 1,
                     "Number of depthwise filters per input channel.", 1, 64),
               _activation("relu"), _USE_BIAS),
              rules.conv2d_like("SeparableConv2D", True),
              output_activation="own", positional=("filters", "kernel_size"), title="SeparableConv2D({filters}, {kernel_size}, {activation})",
              figures="separable_conv2d"),
    LayerType("MaxPooling1D", "pooling",
              "Keeps the largest value in each window of steps, shortening a sequence.",
              (Param("pool_size", "int", 2, "Window length (also the step).", 1, 1024),
               _PAD),
              rules.pool1d("MaxPooling1D"),
              output_activation="passes", positional=("pool_size",), title="MaxPooling1D",
              figures="pool1d"),
    LayerType("MaxPooling2D", "pooling",
              "Keeps the largest value in each window, halving height and width with the default "
              "2×2. Usually follows Conv2D.",
              (Param("pool_size", "int_or_pair", 2, "Window size (also the step).", 1, 64),
               _PAD),
              rules.pool2d("MaxPooling2D"),
              output_activation="passes", positional=("pool_size",), title="MaxPooling2D",
              figures="pool2d"),
    LayerType("AveragePooling2D", "pooling",
              "Averages each window, shrinking height and width like MaxPooling2D but smoother.",
              (Param("pool_size", "int_or_pair", 2, "Window size (also the step).", 1, 64),
               _PAD),
              rules.pool2d("AveragePooling2D"),
              output_activation="passes", positional=("pool_size",), title="AveragePooling2D",
              figures="pool2d"),
    LayerType("GlobalAveragePooling1D", "pooling",
              "Averages over all steps of a sequence, giving one vector of features; works for "
              "sequences of any length.", (), rules.global_pool("GlobalAveragePooling1D", 2),
              output_activation="passes", positional=(), title="GlobalAveragePooling1D",
              figures="global_pool"),
    LayerType("GlobalAveragePooling2D", "pooling",
              "Averages each channel over the whole image, giving one value per channel; a light "
              "alternative to Flatten before the output layer.", (),
              rules.global_pool("GlobalAveragePooling2D", 3),
              output_activation="passes", positional=(), title="GlobalAveragePooling2D",
              figures="global_pool"),
    LayerType("Embedding", "core",
              "Turns token ids (whole numbers) into learned vectors. Put it first, on an int32 "
              "input of token ids, e.g. words of a review.",
              (Param("input_dim", "int", 10_000, "Vocabulary size: the largest token id + 1.",
                     1, 10_000_000),
               Param("output_dim", "int", 32, "Length of the vector for each token.", 1, 4096)),
              rules.embedding,
              output_activation="own", positional=("input_dim", "output_dim"), title="Embedding({input_dim}, {output_dim})",
              figures="embedding"),
    LayerType("SimpleRNN", "recurrent",
              "A basic recurrent layer: reads a sequence step by step, keeping a memory. Needs "
              "(steps, features); forgets long-range context quickly.",
              (Param("units", "int", 32, "Size of the memory (output features).", 1, 4096),
               _activation("tanh"),
               Param("return_sequences", "bool", False,
                     "Output every step (to stack another recurrent layer) instead of only the "
                     "last.")),
              rules.recurrent("SimpleRNN", 1, False),
              output_activation="tanh", positional=("units",), title="SimpleRNN({units})",
              figures="simple_rnn", keras_defaults={"activation": "tanh"}),
    LayerType("LSTM", "recurrent",
              "Long short-term memory: reads a sequence step by step and learns what to remember, "
              "so it keeps long-range context. Needs (steps, features).",
              (Param("units", "int", 32, "Size of the memory (output features).", 1, 4096),
               _activation("tanh"),
               Param("return_sequences", "bool", False,
                     "Output every step (to stack another recurrent layer) instead of only the "
                     "last.")),
              rules.recurrent("LSTM", 4, False),
              output_activation="tanh", positional=("units",), title="LSTM({units})",
              figures="lstm", keras_defaults={"activation": "tanh"}),
    LayerType("GRU", "recurrent",
              "Gated recurrent unit: like LSTM with fewer parameters, often as accurate. Needs "
              "(steps, features).",
              (Param("units", "int", 32, "Size of the memory (output features).", 1, 4096),
               _activation("tanh"),
               Param("return_sequences", "bool", False,
                     "Output every step (to stack another recurrent layer) instead of only the "
                     "last.")),
              rules.recurrent("GRU", 3, True),
              output_activation="tanh", positional=("units",), title="GRU({units})",
              figures="gru", keras_defaults={"activation": "tanh"}),
    LayerType("Dropout", "regularisation",
              "During training, sets a random fraction of values to zero so the network cannot "
              "rely on any single one; reduces overfitting. Does nothing at prediction time.",
              (Param("rate", "float", 0.5, "Fraction of values dropped during training.",
                     0.0, 0.95),),
              rules.same_shape,
              output_activation="passes", positional=("rate",), title="Dropout({rate:g})",
              figures="dropout"),
    LayerType("BatchNormalization", "regularisation",
              "Rescales values to mean 0 and spread 1 using batch statistics, which makes "
              "training faster and steadier. Often placed after Dense or Conv2D.",
              (Param("momentum", "float", 0.99,
                     "How slowly the running mean and variance follow new batches.", 0.0, 0.9999),
               Param("epsilon", "float", 0.001, "Small number that avoids dividing by zero.",
                     1e-7, 1.0),
               Param("center", "bool", True, "Learn an offset (beta)."),
               Param("scale", "bool", True, "Learn a scale factor (gamma).")),
              rules.batchnorm,
              output_activation="own", positional=(), title="BatchNormalization",
              figures="batchnorm"),
    LayerType("RandomFlip", "augmentation",
              "During training, mirrors images at random so the model learns that a flipped "
              "picture shows the same thing. Not for digits or text.",
              (Param("mode", "choice", "horizontal", "Which flips to apply.",
                     choices=("horizontal", "vertical", "horizontal_and_vertical")),),
              rules.augment("RandomFlip"),
              output_activation="passes", positional=("mode",), title="RandomFlip",
              figures="unchanged"),
    LayerType("RandomRotation", "augmentation",
              "During training, turns images by a random angle, so the model copes with tilted "
              "pictures.",
              (Param("factor", "float", 0.1,
                     "Largest turn as a fraction of a full circle (0.1 = ±36°).", 0.0, 1.0),
               _FILL),
              rules.augment("RandomRotation"),
              output_activation="passes", positional=("factor",), title="RandomRotation",
              figures="unchanged"),
    LayerType("RandomZoom", "augmentation",
              "During training, zooms images in or out at random, so the model copes with "
              "different sizes.",
              (Param("height_factor", "factor", 0.1,
                     "Zoom range as a fraction of the height: 0.1 = from −10% (zoom in) to +10% "
                     "(zoom out), or a pair [lower, upper].", 0.0, 0.9),
               # Zooming the width apart from the height changes a digit's proportions: people
               # draw digits wider or narrower than MNIST's writers did.
               Param("width_factor", "factor", None,
                     "Zoom range of the width, like the height's; a different range changes the "
                     "picture's proportions (negative: wider).", 0.0, 0.9,
                     unset="same as the height (keeps the proportions)",
                     unset_from="height_factor"),
               _FILL),
              rules.augment("RandomZoom"),
              output_activation="passes", positional=("height_factor",), title="RandomZoom",
              keras_defaults={"width_factor": None},
              figures="unchanged"),
    LayerType("RandomTranslation", "augmentation",
              "During training, shifts images up/down and left/right at random, so the model "
              "copes with off-centre pictures.",
              (Param("height_factor", "float", 0.1,
                     "Largest vertical shift as a fraction of the height.", 0.0, 1.0),
               Param("width_factor", "float", 0.1,
                     "Largest horizontal shift as a fraction of the width.", 0.0, 1.0),
               _FILL),
              rules.augment("RandomTranslation"),
              output_activation="passes", positional=("height_factor", "width_factor"), title="RandomTranslation",
              figures="unchanged"),
    LayerType("RandomShear", "augmentation",
              "During training, slants images at random (like handwriting that leans), so the "
              "model copes with sloped digits and letters.",
              (Param("x_factor", "float", 0.1,
                     "Largest horizontal slant, as a fraction of the width moved per height "
                     "(0.2 ≈ ±11°).", 0.0, 1.0),
               Param("y_factor", "float", 0.0,
                     "Largest vertical slant, as a fraction of the height moved per width.",
                     0.0, 1.0),
               _FILL),
              rules.augment("RandomShear"),
              output_activation="passes", positional=("x_factor",), title="RandomShear",
              figures="unchanged"),
    LayerType("Rescaling", "augmentation",
              "Multiplies every value by scale and adds offset, e.g. scale 1/255 turns pixels "
              "0..255 into 0..1. Skip it when the dataset is already scaled.",
              (Param("scale", "float", 1 / 255, "Factor every value is multiplied by.",
                     -1e6, 1e6),
               Param("offset", "float", 0.0, "Value added after scaling.", -1e6, 1e6)),
              rules.same_shape,
              output_activation="own", positional=("scale",), title="Rescaling",
              figures="unchanged"),
]

CATALOGUE: dict[str, LayerType] = {entry.name: entry for entry in _ENTRIES}

INPUT = "Input"


def palette_types() -> list[LayerType]:
    """The entries a user can add to the stack (everything but Input), in catalogue order."""
    return [t for t in CATALOGUE.values() if t.name != INPUT]


def input_params(spec) -> dict:
    """The Input row's params for a ModelSpec: {"shape": (...), "dtype": "float32"}."""
    return {"shape": tuple(spec.input_shape), "dtype": spec.input_dtype}


def with_input_params(spec, params: dict):
    """A copy of `spec` whose input takes the Input row's params (shape, dtype)."""
    out = spec.copy()
    if "shape" in params:
        out.input_shape = tuple(params["shape"])
    if "dtype" in params:
        out.input_dtype = str(params["dtype"])
    return out


__all__ = ["Param", "LayerType", "LayerOutput", "ShapeError", "GROUPS", "ACTIVATIONS",
           "INPUT_DTYPES", "CATALOGUE", "INPUT", "describe_shape", "palette_types",
           "input_params", "with_input_params"]
