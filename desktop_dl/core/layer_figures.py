"""The figures of a layer's explanation: its parameter count split into parts, and how its
output size comes out, with the user's own numbers (see core.explanations).

E.g. Dense(512) after Flatten: "784 inputs × 512 units = 401,408 weights, + 512 biases = 401,920
parameters; output shape (None, 512)". Each rule gets (params, input shape, output shape without
the batch, trainable, non-trainable) from `core.shapes.analyse` and returns sentences, or None
when its parts do not add up to the analysed count (then only the totals are shown). Every
sentence is a gettext message, counted nouns are plural messages (core.i18n).
"""
from __future__ import annotations

import math

from desktop_dl.core.catalogue import CATALOGUE
from desktop_dl.core.i18n import _, ngettext

# Counted nouns, one gettext plural message each, so every language words its own counts.
_NOUNS = {
    "input": lambda n: ngettext("{n:,} input", "{n:,} inputs", n),
    "unit": lambda n: ngettext("{n:,} unit", "{n:,} units", n),
    "weight": lambda n: ngettext("{n:,} weight", "{n:,} weights", n),
    "bias": lambda n: ngettext("{n:,} bias", "{n:,} biases", n),
    "channel": lambda n: ngettext("{n:,} channel", "{n:,} channels", n),
    "input channel": lambda n: ngettext("{n:,} input channel", "{n:,} input channels", n),
    "filter": lambda n: ngettext("{n:,} filter", "{n:,} filters", n),
    "step": lambda n: ngettext("{n:,} step", "{n:,} steps", n),
    "feature": lambda n: ngettext("{n:,} feature", "{n:,} features", n),
    "token": lambda n: ngettext("{n:,} token", "{n:,} tokens", n),
}


def _pl(x, word: str) -> str:
    """A count with its noun: 1 unit, 2 units, 1 bias, 2 biases (in the interface language)."""
    return _NOUNS[word](x)


def _n(x) -> str:
    return f"{x:,}"


def shape_text(shape) -> str:
    """A shape as Python writes a tuple, free dimensions as None: "(None, 28, 28, 1)", "(10,)"."""
    dims = ["None" if d is None else str(d) for d in shape]
    return "(" + dims[0] + ",)" if len(dims) == 1 else "(" + ", ".join(dims) + ")"


def prod(dims) -> int | None:
    """The product of `dims`, or None when any is None (a free dimension); 1 for no dims."""
    out = 1
    for d in dims:
        if d is None:
            return None
        out *= d
    return out


def _pair(v) -> tuple[int, int]:
    return (int(v[0]), int(v[1])) if isinstance(v, (list, tuple)) else (int(v), int(v))


def value_text(v) -> str:
    """A parameter value as shown: floats with 6 significant digits, lists/tuples as shape_text,
    anything else with str()."""
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, (list, tuple)):
        return shape_text(tuple(v))
    return str(v)


def title(type_name: str, p: dict) -> str:
    """E.g. "Dense(512, relu)"; just the type when a hand-edited value does not fit."""
    try:
        return _title_with_params(type_name, p)
    except (TypeError, ValueError, KeyError, IndexError):
        return type_name


def _title_with_params(type_name: str, p: dict) -> str:
    layer_type = CATALOGUE.get(type_name)
    if layer_type is None:
        return type_name
    shown = dict(p)
    for param in layer_type.params:        # a (height, width) pair reads "3×3"
        if param.kind == "int_or_pair" and param.name in shown:
            shown[param.name] = "{}×{}".format(*_pair(shown[param.name]))
    return layer_type.title.format(**shown)


def _params_line(total: int, out) -> str:
    """The closing "= N parameters; output shape (...)" — or "no parameters; ..."."""
    if total == 0:
        return _("no parameters; output shape {shape}", shape=shape_text(out))
    return ngettext("= {n:,} parameter; output shape {shape}",
                    "= {n:,} parameters; output shape {shape}", total, shape=shape_text(out))


def _biases(bias: int) -> str:
    """", + 32 biases " or " (no biases) ", between the weights and the parameter total."""
    return _(", + {biases} ", biases=_pl(bias, "bias")) if bias else _(" (no biases) ")


def figures(type_name: str, p: dict, in_shape: tuple, out: tuple, report) -> list[str]:
    """The user's own numbers for one layer, one sentence each.

    The first says input shape -> output shape (batch first); then the layer type's breakdown of
    its parameters, or just the totals from `report` (params, trainable, non_trainable) when the
    type has no rule or the breakdown does not add up.
    """
    total, trainable, frozen = report.params, report.trainable, report.non_trainable
    rule = RULES.get(CATALOGUE[type_name].figures) if type_name in CATALOGUE else None
    lines = rule(p, in_shape[1:], out[1:], trainable, frozen) if rule else None
    if lines is None:                   # no breakdown (or it did not add up): the totals alone
        if total:
            lines = [ngettext("{n:,} parameter; output shape {shape}",
                              "{n:,} parameters; output shape {shape}", total, shape=shape_text(out))]
        else:
            lines = [_params_line(0, out)]
    flow = _("Input {input} → output {output}", input=shape_text(in_shape), output=shape_text(out))
    return [flow] + lines


def _dense(p, ins, outs, trainable, frozen):
    n, u = ins[-1], p["units"]
    bias = u if p.get("use_bias", True) else 0
    weights = trainable - bias
    if weights != n * u:
        return None
    out = (None,) + tuple(outs)
    line = f"{_pl(n, 'input')} × {_pl(u, 'unit')} = {_pl(weights, 'weight')}" + _biases(bias)
    lines = [line + _params_line(trainable, out)]
    if u == 1 and bias:
        # The tutorials' single neuron: name the formula with the user's own counts.
        lines.append(_("This is the single neuron y = {activation}(w·x + b): {weights} w and one "
                       "bias b.", activation=p["activation"], weights=_pl(n, "weight")))
    if len(ins) > 1:
        steps = " × ".join(str(d) for d in ins[:-1])
        lines.append(_("The same weights are applied at every position ({positions}).",
                       positions=steps))
    return lines


def _side(n, k, s, padding, result):
    """How one spatial size comes out: valid ⌊(n − k) ÷ s⌋ + 1, same ⌈n ÷ s⌉ (checked)."""
    if n is None or result is None:
        return None
    if padding in ("same", "causal"):
        if -(-n // s) != result:
            return None
        if s == 1:
            return str(result)
        return _("{n} ÷ {s} rounded up = {result}", n=n, s=s, result=result)
    if (n - k) // s + 1 != result:
        return None
    return f"({n} − {k}) ÷ {s} + 1 = {result}" if s > 1 else f"{n} − {k} + 1 = {result}"


def _conv2d(p, ins, outs, trainable, frozen, separable=False):
    (h, w, c), (oh, ow, f) = ins, outs
    (kh, kw), (sh, sw) = _pair(p["kernel_size"]), _pair(p["strides"])
    bias = f if p.get("use_bias", True) else 0
    out = (None,) + tuple(outs)
    if separable:
        dm = p["depth_multiplier"]
        depth, point = kh * kw * c * dm, c * dm * f
        if depth + point + bias != trainable:
            return None
        line = _("depthwise {kh}×{kw} × {channels} × {multiplier} = {depth_weights}, pointwise "
                 "{inner} × {filters} = {point_weights}", kh=kh, kw=kw,
                 channels=_pl(c, "channel"), multiplier=dm, depth_weights=_pl(depth, "weight"),
                 inner=_n(c * dm), filters=_pl(f, "filter"), point_weights=_pl(point, "weight"))
    else:
        weights = kh * kw * c * f
        if weights + bias != trainable:
            return None
        line = _("{kh}×{kw} kernel × {channels} × {filters} = {weights}", kh=kh, kw=kw,
                 channels=_pl(c, "input channel"), filters=_pl(f, "filter"),
                 weights=_pl(weights, "weight"))
    lines = [line + _biases(bias) + _params_line(trainable, out)]
    sides = [_side(h, kh, sh, p["padding"], oh), _side(w, kw, sw, p["padding"], ow)]
    if all(sides):
        lines.append(ngettext("Height: {height}; width: {width} (padding {padding}); the {n:,} "
                              "filter gives one feature map.",
                              "Height: {height}; width: {width} (padding {padding}); each of the "
                              "{n:,} filters gives one feature map.", f,
                              height=sides[0], width=sides[1], padding=p["padding"]))
    return lines


def _conv1d(p, ins, outs, trainable, frozen):
    (steps, c), (osteps, f) = ins, outs
    k, s = int(p["kernel_size"]), int(p["strides"])
    bias = f if p.get("use_bias", True) else 0
    weights = k * c * f
    if weights + bias != trainable:
        return None
    out = (None,) + tuple(outs)
    line = f"{_pl(k, 'step')} × {_pl(c, 'feature')} × {_pl(f, 'filter')} = {_pl(weights, 'weight')}"
    lines = [line + _biases(bias) + _params_line(trainable, out)]
    side = _side(steps, k, s, p["padding"], osteps)
    if side:
        lines.append(_("Length: {length} (padding {padding})", length=side, padding=p["padding"]))
    return lines


def _embedding(p, ins, outs, trainable, frozen):
    v, d = p["input_dim"], p["output_dim"]
    if v * d != trainable:
        return None
    out = (None,) + tuple(outs)
    return [_("{tokens} × {size:,} numbers each ", tokens=_pl(v, "token"), size=d)
            + _params_line(trainable, out)]


def _recurrent(gates, biases_per_gate, gate_names):
    def rule(p, ins, outs, trainable, frozen):
        n, u = ins[-1], p["units"]
        per_gate = u * (n + u) + biases_per_gate * u
        if gates * per_gate != trainable:
            return None
        out = (None,) + tuple(outs)
        b = f"{biases_per_gate} × {_n(u)}" if biases_per_gate > 1 else _n(u)
        lead = f"{gates} × " if gates > 1 else ""
        line = _("{lead}({units:,} units × ({inputs:,} inputs + {state:,} state) + {biases} "
                 "biases) ", lead=lead, units=u, inputs=n, state=u, biases=b) \
            + _params_line(trainable, out)
        if gates == 1:
            return [line]
        return [line, _("Weight sets: {names}.", names=gate_names())]
    return rule


def _batchnorm(p, ins, outs, trainable, frozen):
    c = ins[-1]
    learned = int(bool(p.get("center", True))) + int(bool(p.get("scale", True)))
    if learned * c != trainable or 2 * c != frozen:
        return None
    out = (None,) + tuple(outs)
    return [_("{learned} × {channels:,} trainable (γ, β) + 2 × {channels:,} non-trainable "
              "(moving mean and variance) ", learned=learned, channels=c)
            + _params_line(trainable + frozen, out)]


def _flatten(p, ins, outs, trainable, frozen):
    dims = " × ".join(str(d) for d in ins)
    out = (None,) + tuple(outs)
    return [_("{dims} = {n:,} values in one row; ", dims=dims, n=outs[0]) + _params_line(0, out)]


def _pool2d(p, ins, outs, trainable, frozen):
    (h, w, c), (oh, ow, _c) = ins, outs
    kh, kw = _pair(p["pool_size"])
    sides = [_side(h, kh, kh, p["padding"], oh), _side(w, kw, kw, p["padding"], ow)]
    out = (None,) + tuple(outs)
    lines = [_("{kh}×{kw} windows, the {channels:,} channels unchanged; ", kh=kh, kw=kw,
               channels=c) + _params_line(0, out)]
    if all(sides):
        lines.append(_("Height: {height}; width: {width}", height=sides[0], width=sides[1]))
    return lines


def _pool1d(p, ins, outs, trainable, frozen):
    k = int(p["pool_size"])
    side = _side(ins[0], k, k, p["padding"], outs[0])
    out = (None,) + tuple(outs)
    lines = [_("windows of {k} steps, the {features:,} features unchanged; ", k=k,
               features=ins[1]) + _params_line(0, out)]
    if side:
        lines.append(_("Length: {length}", length=side))
    return lines


def _global_pool(p, ins, outs, trainable, frozen):
    positions = " × ".join(str(d) for d in ins[:-1])
    out = (None,) + tuple(outs)
    return [_("Each channel averaged over {positions} positions; ", positions=positions)
            + _params_line(0, out)]


def _dropout(p, ins, outs, trainable, frozen):
    rate = float(p["rate"])
    n = prod(ins)
    out = (None,) + tuple(outs)
    keep = 1 / (1 - rate) if rate < 1 else math.inf
    if n:
        what = _("In training about {rate:.0%} of the {n:,} values of each sample are set to 0, "
                 "the rest multiplied by {keep:.3g}; ", rate=rate, n=n, keep=keep)
    else:
        what = _("In training about {rate:.0%} of the values are set to 0, the rest multiplied "
                 "by {keep:.3g}; ", rate=rate, keep=keep)
    return [what + _params_line(0, out)]


def _unchanged(p, ins, outs, trainable, frozen):
    if trainable or frozen:
        return None
    out = (None,) + tuple(outs)
    return [_("The shape does not change; ") + _params_line(0, out)]


def _reshape(p, ins, outs, trainable, frozen):
    out = (None,) + tuple(outs)
    return [_("{n:,} values rearranged as {shape}; ", n=prod(ins), shape=shape_text(outs))
            + _params_line(0, out)]


# The breakdowns a catalogue entry's `figures` names (the Input row is explained apart).
RULES = {
    "dense": _dense,
    "conv2d": _conv2d,
    "separable_conv2d": lambda *a: _conv2d(*a, separable=True),
    "conv1d": _conv1d,
    "embedding": _embedding,
    "simple_rnn": _recurrent(1, 1, lambda: ""),
    "lstm": _recurrent(4, 1, lambda: _("input gate, forget gate, output gate, candidate memory")),
    "gru": _recurrent(3, 2, lambda: _("update gate, reset gate, candidate state")),
    "batchnorm": _batchnorm,
    "flatten": _flatten,
    "reshape": _reshape,
    "pool2d": _pool2d,
    "pool1d": _pool1d,
    "global_pool": _global_pool,
    "dropout": _dropout,
    "unchanged": _unchanged,
}
