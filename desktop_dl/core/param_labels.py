"""What the properties panel calls each layer parameter, as gettext messages (core.i18n).

A label is the Keras keyword in words ("kernel_size" → "Kernel size"); in another language the
translated label is followed by the keyword itself, e.g. "卷积核大小（kernel_size）", so a learner
can match the panel to Keras code. A keyword with no entry here is shown in readable form.
"""
from __future__ import annotations

from desktop_dl.core import i18n
from desktop_dl.core.i18n import N_, _

PARAM_LABELS = {
    "activation": N_("Activation"), "center": N_("Center"),
    "depth_multiplier": N_("Depth multiplier"), "dtype": N_("Dtype"), "epsilon": N_("Epsilon"),
    "factor": N_("Factor"), "fill_mode": N_("Fill mode"), "filters": N_("Filters"),
    "height_factor": N_("Height factor"), "input_dim": N_("Input dim"), "kernel_size": N_("Kernel size"),
    "mode": N_("Mode"), "momentum": N_("Momentum"), "offset": N_("Offset"),
    "output_dim": N_("Output dim"), "padding": N_("Padding"), "pool_size": N_("Pool size"),
    "rate": N_("Rate"), "return_sequences": N_("Return sequences"), "scale": N_("Scale"),
    "shape": N_("Shape"), "strides": N_("Strides"), "target_shape": N_("Target shape"),
    "units": N_("Units"), "use_bias": N_("Use bias"), "width_factor": N_("Width factor"),
}


def param_label(name: str) -> str:
    """The label of parameter `name` in the interface language: "Kernel size" in English,
    "卷积核大小（kernel_size）" in Chinese."""
    readable = name.replace("_", " ")
    english = PARAM_LABELS.get(name, readable[:1].upper() + readable[1:])
    if i18n.current_language() == i18n.ENGLISH:
        return english
    return _("{label} ({keyword})", label=_(english), keyword=name)
