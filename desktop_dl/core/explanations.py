"""What each layer does, in English and Simplified Chinese, with the user's own numbers.

The words live in resources/explanations/layers.json (what the layer does to the tensor, when to
use it, what each parameter means). `explain(spec, index, lang)` adds the figures of that layer
in that model, e.g. for Dense(512) after Flatten: "784 inputs × 512 units = 401,408 weights,
+ 512 biases = 401,920 parameters; output shape (None, 512)". Every number shown comes from
`core.shapes.analyse` (the same analysis as the summary table): the breakdown only splits the
layer's reported parameter count into its parts, and is dropped if the parts do not add up.

Plain Python (no Qt): the UI passes the interface language.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache

from desktop_dl.core.catalogue import CATALOGUE, INPUT
from desktop_dl.core.losses import RULES
from desktop_dl.paths import resource

ENGLISH, CHINESE = "en", "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)

# The output/loss rules of core.losses.RULES, in Chinese (same keys; a test keeps them in step).
RULES_ZH = {
    "binary": "两个类别（是/否）：最后一层用一个 sigmoid 单元，即 Dense(1, sigmoid)，损失函数用 "
              "binary_crossentropy。",
    "multiclass": "N 个类别中选一个：最后一层用 Dense(N, softmax)；标签是整数时损失函数用 "
                  "sparse_categorical_crossentropy（标签是 one-hot 编码时用 "
                  "categorical_crossentropy）。",
    "multilabel": "可以同时有多个标签为真：最后一层用 Dense(N, sigmoid)，损失函数用 "
                  "binary_crossentropy。",
    "regression": "预测数值：最后一层用 Dense(1)（或每个目标一个单元），激活函数为 linear，损失函数用 "
                  "mse，并报告 mae。",
}


def lang_of(lang: str | None) -> str:
    return CHINESE if lang and lang.replace("-", "_").lower().startswith("zh") else ENGLISH


@lru_cache(maxsize=1)
def _texts() -> dict:
    return json.loads(resource("explanations", "layers.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class LayerText:
    what: str
    when: str
    params: dict[str, str]          # parameter name → what it means


def layer_text(type_name: str, lang: str = ENGLISH) -> LayerText:
    """The fixed words for a catalogue layer type (KeyError for an unknown type)."""
    lang = lang_of(lang)
    entry = _texts()["layers"][type_name]
    common = _texts()["params"][lang]
    own = entry.get("params", {}).get(lang, {})
    names = [p.name for p in CATALOGUE[type_name].params]
    return LayerText(entry[lang]["what"], entry[lang]["when"],
                     {n: own.get(n, common.get(n, "")) for n in names})


def tooltip(type_name: str, lang: str = ENGLISH) -> str:
    """What the layer does and when to use it: for the palette's tooltips."""
    try:
        text = layer_text(type_name, lang)
    except KeyError:
        return CATALOGUE[type_name].help if type_name in CATALOGUE else ""
    return f"{text.what}\n\n{text.when}"


def rule_text(task: str, lang: str = ENGLISH) -> str:
    """The output/loss rule for a task ("binary", "multiclass", "multilabel", "regression")."""
    return (RULES_ZH if lang_of(lang) == CHINESE else RULES).get(task, "")


def translate_rule(message: str, lang: str = ENGLISH) -> str:
    """A core message that cites a rule ("... Rule: <RULES[task]>") with the rule in `lang`."""
    if lang_of(lang) == ENGLISH:
        return message
    for task, rule in RULES.items():
        if rule in message:
            return message.replace("Rule: " + rule, "规则：" + RULES_ZH[task]).replace(rule, RULES_ZH[task])
    return message


@dataclass
class Explanation:
    type: str
    title: str                          # e.g. "Dense(512, relu)"
    what: str
    when: str
    params: list[tuple[str, str, str]]  # (name, value as shown, meaning)
    figures: list[str]                  # the user's own numbers, one sentence each
    error: str | None = None
    input_shape: tuple | None = None    # with the batch first (None), from the analysis
    output_shape: tuple | None = None
    parameters: int | None = None       # trainable + non-trainable, from the analysis
    headings: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        h = self.headings
        parts = [self.title, self.what, h["when"] + self.when]
        if self.figures:
            parts.append(h["numbers"] + "\n" + "\n".join(self.figures))
        if self.error:
            parts.append(h["problem"] + self.error)
        if self.params:
            parts.append(h["params"] + "\n" + "\n".join(f"{n} = {v}{h['colon']}{t}"
                                                         for n, v, t in self.params))
        return "\n\n".join(parts)

    def __str__(self) -> str:
        return self.text


_HEADINGS = {
    ENGLISH: {"when": "When to use it: ", "numbers": "In this model:", "problem": "Problem: ",
              "params": "Parameters:", "colon": ": "},
    CHINESE: {"when": "何时使用：", "numbers": "在这个模型中：", "problem": "问题：",
              "params": "参数：", "colon": "："},
}


def explain(spec, index: int | None, lang: str = ENGLISH, analysis=None) -> Explanation:
    """The explanation of layer `index` of `spec` (None: the Input row) with its real figures.

    `analysis` may be passed when the caller already has `analyse(spec)` (the editor does).
    """
    from desktop_dl.core.shapes import analyse
    lang = lang_of(lang)
    analysis = analysis if analysis is not None else analyse(spec)
    if index is None:
        return _explain_input(spec, analysis, lang)
    layer = spec.layers[index]
    report = analysis.layers[index]
    layer_type = CATALOGUE.get(layer.type)
    if layer_type is None:
        return Explanation(layer.type, layer.type, "", "", [], [], report.error,
                           headings=_HEADINGS[lang])
    text = layer_text(layer.type, lang)
    params = {**layer_type.defaults(), **layer.params}
    shown = [(p.name, _value(params.get(p.name)), text.params.get(p.name, "")) for p in layer_type.params]
    in_shape = analysis.input_shape if index == 0 else analysis.layers[index - 1].output_shape
    out = report.output_shape
    figures: list[str] = []
    if out is not None and in_shape is not None and report.error is None:
        try:
            figures = _figures(layer.type, params, in_shape, out, report, lang)
        except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError):
            figures = []    # a value analyse() accepted but the breakdown cannot read: no figures
    return Explanation(layer.type, _title(layer.type, params), text.what, text.when, shown,
                       figures, report.error, in_shape, out, report.params if out else None,
                       _HEADINGS[lang])


# -- figures -------------------------------------------------------------------------------------
def _n(x) -> str:
    return f"{x:,}"


def _pl(x, word: str) -> str:
    """English count with its noun: 1 unit, 2 units, 1 bias, 2 biases."""
    if x == 1:
        return f"1 {word}"
    return f"{_n(x)} {word}{'es' if word.endswith('s') else 's'}"


def _shape(shape) -> str:
    dims = ["None" if d is None else str(d) for d in shape]
    return "(" + dims[0] + ",)" if len(dims) == 1 else "(" + ", ".join(dims) + ")"


def _prod(dims) -> int | None:
    out = 1
    for d in dims:
        if d is None:
            return None
        out *= d
    return out


def _pair(v) -> tuple[int, int]:
    return (int(v[0]), int(v[1])) if isinstance(v, (list, tuple)) else (int(v), int(v))


def _value(v) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, (list, tuple)):
        return _shape(tuple(v))
    return str(v)


def _title(type_name: str, p: dict) -> str:
    """E.g. "Dense(512, relu)"; just the type when a hand-edited value does not fit."""
    try:
        return _title_with_params(type_name, p)
    except (TypeError, ValueError, KeyError, IndexError):
        return type_name


def _title_with_params(type_name: str, p: dict) -> str:
    if type_name == "Dense":
        return f"Dense({p['units']}, {p['activation']})"
    if type_name in ("Conv2D", "SeparableConv2D"):
        kh, kw = _pair(p["kernel_size"])
        return f"{type_name}({p['filters']}, {kh}×{kw}, {p['activation']})"
    if type_name == "Conv1D":
        return f"Conv1D({p['filters']}, {p['kernel_size']}, {p['activation']})"
    if type_name in ("SimpleRNN", "LSTM", "GRU"):
        return f"{type_name}({p['units']})"
    if type_name == "Dropout":
        return f"Dropout({p['rate']:g})"
    if type_name == "Embedding":
        return f"Embedding({p['input_dim']}, {p['output_dim']})"
    return type_name


def _zh(lang: str) -> bool:
    return lang == CHINESE


def _params_line(total: int, trainable: int, non_trainable: int, out, lang: str) -> str:
    """The closing "= N parameters; output shape (...)" — or "no parameters"."""
    if _zh(lang):
        if total == 0:
            return f"没有参数；输出形状 {_shape(out)}"
        return f"= {_n(total)} 个参数；输出形状 {_shape(out)}"
    if total == 0:
        return f"no parameters; output shape {_shape(out)}"
    return f"= {_n(total)} parameters; output shape {_shape(out)}"


def _figures(type_name: str, p: dict, in_shape: tuple, out: tuple, report, lang: str) -> list[str]:
    zh = _zh(lang)
    total, trainable, frozen = report.params, report.trainable, report.non_trainable
    rule = _RULES.get(type_name)
    lines = rule(p, in_shape[1:], out[1:], trainable, frozen, lang) if rule else None
    if lines is None:                   # no breakdown (or it did not add up): the totals alone
        lines = []
        if total:
            lines.append((f"共 {_n(total)} 个参数" if zh else f"{_n(total)} parameters")
                         + ("；" if zh else "; ") + ("输出形状 " if zh else "output shape ") + _shape(out))
        else:
            lines.append(_params_line(0, 0, 0, out, lang))
    flow = (f"输入 {_shape(in_shape)} → 输出 {_shape(out)}" if zh
            else f"Input {_shape(in_shape)} → output {_shape(out)}")
    return [flow] + lines


def _dense(p, ins, outs, trainable, frozen, lang):
    n, u = ins[-1], p["units"]
    bias = u if p.get("use_bias", True) else 0
    weights = trainable - bias
    if weights != n * u:
        return None
    zh = _zh(lang)
    out = (None,) + tuple(outs)
    if zh:
        line = f"{_n(n)} 个输入 × {_n(u)} 个单元 = {_n(weights)} 个权重"
        line += f"，+ {_n(bias)} 个偏置 " if bias else "（无偏置）"
    else:
        line = f"{_pl(n, 'input')} × {_pl(u, 'unit')} = {_pl(weights, 'weight')}"
        line += f", + {_pl(bias, 'bias')} " if bias else " (no biases) "
    lines = [line + _params_line(trainable, trainable, 0, out, lang)]
    if u == 1 and bias:
        # The tutorials' single neuron: name the formula with the user's own counts.
        lines.append(f"这就是单个神经元 y = {p['activation']}(w·x + b)：{_n(n)} 个权重 w，1 个偏置 b。" if zh
                     else f"This is the single neuron y = {p['activation']}(w·x + b): "
                          f"{_pl(n, 'weight')} w and one bias b.")
    if len(ins) > 1:
        steps = " × ".join(str(d) for d in ins[:-1])
        lines.append(f"同一组权重作用于每个位置（{steps}）。" if zh else
                     f"The same weights are applied at every position ({steps}).")
    return lines


def _side(n, k, s, padding, result, zh):
    """How one spatial size comes out: valid ⌊(n − k) ÷ s⌋ + 1, same ⌈n ÷ s⌉ (checked)."""
    if n is None or result is None:
        return None
    if padding in ("same", "causal"):
        if -(-n // s) != result:
            return None
        if s == 1:
            return str(result)
        return f"{n}" + (f" ÷ {s} 向上取整" if zh else f" ÷ {s} rounded up") + f" = {result}"
    if (n - k) // s + 1 != result:
        return None
    return f"({n} − {k}) ÷ {s} + 1 = {result}" if s > 1 else f"{n} − {k} + 1 = {result}"


def _conv2d(p, ins, outs, trainable, frozen, lang, separable=False):
    zh = _zh(lang)
    (h, w, c), (oh, ow, f) = ins, outs
    (kh, kw), (sh, sw) = _pair(p["kernel_size"]), _pair(p["strides"])
    bias = f if p.get("use_bias", True) else 0
    out = (None,) + tuple(outs)
    if separable:
        dm = p["depth_multiplier"]
        depth, point = kh * kw * c * dm, c * dm * f
        if depth + point + bias != trainable:
            return None
        if zh:
            line = (f"逐通道 {kh}×{kw} × {_n(c)} 个通道 × {dm} = {_n(depth)} 个权重，逐点 "
                    f"{_n(c * dm)} × {_n(f)} 个滤波器 = {_n(point)} 个权重")
        else:
            line = (f"depthwise {kh}×{kw} × {_pl(c, 'channel')} × {dm} = {_pl(depth, 'weight')}, "
                    f"pointwise {_n(c * dm)} × {_pl(f, 'filter')} = {_pl(point, 'weight')}, ")
    else:
        weights = kh * kw * c * f
        if weights + bias != trainable:
            return None
        if zh:
            line = f"{kh}×{kw} 卷积核 × {_n(c)} 个输入通道 × {_n(f)} 个滤波器 = {_n(weights)} 个权重"
        else:
            line = (f"{kh}×{kw} kernel × {_pl(c, 'input channel')} × {_pl(f, 'filter')} = "
                    f"{_pl(weights, 'weight')}, ")
    line += (f"，+ {_n(bias)} 个偏置 " if zh else f"+ {_pl(bias, 'bias')} ") if bias else ("（无偏置）" if zh else "(no biases) ")
    lines = [line + _params_line(trainable, trainable, 0, out, lang)]
    sides = [_side(h, kh, sh, p["padding"], oh, zh), _side(w, kw, sw, p["padding"], ow, zh)]
    if all(sides):
        pad = p["padding"]
        if zh:
            lines.append(f"高：{sides[0]}；宽：{sides[1]}（padding {pad}）；{_n(f)} 个滤波器各给出一张特征图。")
        else:
            lines.append(f"Height: {sides[0]}; width: {sides[1]} (padding {pad}); each of the "
                         f"{_n(f)} filters gives one feature map.")
    return lines


def _conv1d(p, ins, outs, trainable, frozen, lang):
    zh = _zh(lang)
    (steps, c), (osteps, f) = ins, outs
    k, s = int(p["kernel_size"]), int(p["strides"])
    bias = f if p.get("use_bias", True) else 0
    weights = k * c * f
    if weights + bias != trainable:
        return None
    out = (None,) + tuple(outs)
    if zh:
        line = f"{k} 步 × {_n(c)} 个特征 × {_n(f)} 个滤波器 = {_n(weights)} 个权重"
        line += f"，+ {_n(bias)} 个偏置 " if bias else "（无偏置）"
    else:
        line = f"{_pl(k, 'step')} × {_pl(c, 'feature')} × {_pl(f, 'filter')} = {_pl(weights, 'weight')}"
        line += f", + {_pl(bias, 'bias')} " if bias else " (no biases) "
    lines = [line + _params_line(trainable, trainable, 0, out, lang)]
    side = _side(steps, k, s, p["padding"], osteps, zh)
    if side:
        lines.append((f"长度：{side}（padding {p['padding']}）" if zh
                      else f"Length: {side} (padding {p['padding']})"))
    return lines


def _embedding(p, ins, outs, trainable, frozen, lang):
    v, d = p["input_dim"], p["output_dim"]
    if v * d != trainable:
        return None
    out = (None,) + tuple(outs)
    if _zh(lang):
        return [f"{_n(v)} 个词元 × 每个 {_n(d)} 个数 "
                + _params_line(trainable, trainable, 0, out, lang)]
    return [f"{_pl(v, 'token')} × {_n(d)} numbers each "
            + _params_line(trainable, trainable, 0, out, lang)]


def _recurrent(gates, biases_per_gate, gate_names_en, gate_names_zh):
    def rule(p, ins, outs, trainable, frozen, lang):
        n, u = ins[-1], p["units"]
        per_gate = u * (n + u) + biases_per_gate * u
        if gates * per_gate != trainable:
            return None
        out = (None,) + tuple(outs)
        zh = _zh(lang)
        b = f"{biases_per_gate} × {_n(u)}" if biases_per_gate > 1 else _n(u)
        lead = f"{gates} × " if gates > 1 else ""
        if zh:
            line = (f"{lead}({_n(u)} 个单元 × ({_n(n)} 个输入 + {_n(u)} 个状态) + {b} 个偏置) "
                    + _params_line(trainable, trainable, 0, out, lang))
            return [line, f"权重组：{gate_names_zh}。"] if gates > 1 else [line]
        line = (f"{lead}({_n(u)} units × ({_n(n)} inputs + {_n(u)} state) + {b} biases) "
                + _params_line(trainable, trainable, 0, out, lang))
        return [line, f"Weight sets: {gate_names_en}."] if gates > 1 else [line]
    return rule


def _batchnorm(p, ins, outs, trainable, frozen, lang):
    c = ins[-1]
    learned = int(bool(p.get("center", True))) + int(bool(p.get("scale", True)))
    if learned * c != trainable or 2 * c != frozen:
        return None
    out = (None,) + tuple(outs)
    total = trainable + frozen
    if _zh(lang):
        return [f"{learned} × {_n(c)} 个可训练参数（γ、β）+ 2 × {_n(c)} 个不可训练参数（滑动均值和方差） "
                + _params_line(total, trainable, frozen, out, lang)]
    return [f"{learned} × {_n(c)} trainable (γ, β) + 2 × {_n(c)} non-trainable (moving mean and "
            f"variance) " + _params_line(total, trainable, frozen, out, lang)]


def _flatten(p, ins, outs, trainable, frozen, lang):
    dims = " × ".join(str(d) for d in ins)
    out = (None,) + tuple(outs)
    if _zh(lang):
        return [f"{dims} = {_n(outs[0])} 个值排成一行；" + _params_line(0, 0, 0, out, lang)]
    return [f"{dims} = {_n(outs[0])} values in one row; " + _params_line(0, 0, 0, out, lang)]


def _pool2d(p, ins, outs, trainable, frozen, lang):
    zh = _zh(lang)
    (h, w, c), (oh, ow, _) = ins, outs
    kh, kw = _pair(p["pool_size"])
    sides = [_side(h, kh, kh, p["padding"], oh, zh), _side(w, kw, kw, p["padding"], ow, zh)]
    out = (None,) + tuple(outs)
    first = (f"{kh}×{kw} 窗口，{_n(c)} 个通道不变；" if zh
             else f"{kh}×{kw} windows, the {_n(c)} channels unchanged; ")
    lines = [first + _params_line(0, 0, 0, out, lang)]
    if all(sides):
        lines.append(f"高：{sides[0]}；宽：{sides[1]}" if zh else f"Height: {sides[0]}; width: {sides[1]}")
    return lines


def _pool1d(p, ins, outs, trainable, frozen, lang):
    zh = _zh(lang)
    k = int(p["pool_size"])
    side = _side(ins[0], k, k, p["padding"], outs[0], zh)
    out = (None,) + tuple(outs)
    first = (f"{k} 步的窗口，{_n(ins[1])} 个特征不变；" if zh
             else f"windows of {k} steps, the {_n(ins[1])} features unchanged; ")
    lines = [first + _params_line(0, 0, 0, out, lang)]
    if side:
        lines.append(f"长度：{side}" if zh else f"Length: {side}")
    return lines


def _global_pool(p, ins, outs, trainable, frozen, lang):
    positions = " × ".join(str(d) for d in ins[:-1])
    out = (None,) + tuple(outs)
    if _zh(lang):
        return [f"每个通道对 {positions} 个位置求平均；" + _params_line(0, 0, 0, out, lang)]
    return [f"Each channel averaged over {positions} positions; " + _params_line(0, 0, 0, out, lang)]


def _dropout(p, ins, outs, trainable, frozen, lang):
    rate = float(p["rate"])
    n = _prod(ins)
    out = (None,) + tuple(outs)
    keep = 1 / (1 - rate) if rate < 1 else math.inf
    if _zh(lang):
        what = (f"训练时每个样本的 {_n(n)} 个值中约有 {rate:.0%} 被置零，其余乘以 {keep:.3g}；"
                if n else f"训练时约有 {rate:.0%} 的值被置零，其余乘以 {keep:.3g}；")
    else:
        what = (f"In training about {rate:.0%} of the {_n(n)} values of each sample are set to 0, "
                f"the rest multiplied by {keep:.3g}; " if n else
                f"In training about {rate:.0%} of the values are set to 0, the rest multiplied by "
                f"{keep:.3g}; ")
    return [what + _params_line(0, 0, 0, out, lang)]


def _unchanged(p, ins, outs, trainable, frozen, lang):
    if trainable or frozen:
        return None
    out = (None,) + tuple(outs)
    return [("形状不变；" if _zh(lang) else "The shape does not change; ") + _params_line(0, 0, 0, out, lang)]


def _reshape(p, ins, outs, trainable, frozen, lang):
    n = _prod(ins)
    out = (None,) + tuple(outs)
    if _zh(lang):
        return [f"{_n(n)} 个值重新排成 {_shape(outs)}；" + _params_line(0, 0, 0, out, lang)]
    return [f"{_n(n)} values rearranged as {_shape(outs)}; " + _params_line(0, 0, 0, out, lang)]


_RULES = {
    "Dense": _dense,
    "Conv2D": _conv2d,
    "SeparableConv2D": lambda *a: _conv2d(*a, separable=True),
    "Conv1D": _conv1d,
    "Embedding": _embedding,
    "SimpleRNN": _recurrent(1, 1, "", ""),
    "LSTM": _recurrent(4, 1, "input gate, forget gate, output gate, candidate memory",
                       "输入门、遗忘门、输出门、候选记忆"),
    "GRU": _recurrent(3, 2, "update gate, reset gate, candidate state", "更新门、重置门、候选状态"),
    "BatchNormalization": _batchnorm,
    "Flatten": _flatten,
    "Reshape": _reshape,
    "MaxPooling2D": _pool2d,
    "AveragePooling2D": _pool2d,
    "MaxPooling1D": _pool1d,
    "GlobalAveragePooling1D": _global_pool,
    "GlobalAveragePooling2D": _global_pool,
    "Dropout": _dropout,
    "Activation": _unchanged,
    "RandomFlip": _unchanged,
    "RandomRotation": _unchanged,
    "RandomZoom": _unchanged,
    "RandomTranslation": _unchanged,
    "RandomShear": _unchanged,
    "Rescaling": _unchanged,
}


def _explain_input(spec, analysis, lang) -> Explanation:
    text = layer_text(INPUT, lang)
    shape = tuple(spec.input_shape)
    zh = _zh(lang)
    shown = [("shape", _shape(shape), text.params.get("shape", "")),
             ("dtype", spec.input_dtype, text.params.get("dtype", ""))]
    figures = []
    if analysis.input_shape is not None:
        n = _prod(shape)
        size = (f" = {_n(n)} 个值" if zh else f" = {_n(n)} values") if n and len(shape) > 1 else ""
        batch = "(batch, " + ", ".join("None" if d is None else str(d) for d in shape) + ")"
        if zh:
            figures = [f"一个样本：{len(shape)} 阶张量，形状 {_shape(shape)}{size}，类型 {spec.input_dtype}",
                       f"模型每次收到一批：{batch}，Keras 写作 {_shape(analysis.input_shape)}"]
        else:
            figures = [f"One sample: a rank-{len(shape)} tensor of shape {_shape(shape)}{size}, "
                       f"dtype {spec.input_dtype}",
                       f"The model receives a batch: {batch}, which Keras writes "
                       f"{_shape(analysis.input_shape)}"]
    problems = analysis.problems_for(None)
    return Explanation(INPUT, f"Input{_shape(shape)}", text.what, text.when, shown, figures,
                       problems[0] if problems else None, None, analysis.input_shape, 0,
                       _HEADINGS[lang])
