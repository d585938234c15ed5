"""Layer explanations: complete in both languages, and their figures are the summary's."""
import re

import pytest

from desktop_dl.core import explanations as ex
from desktop_dl.core.catalogue import CATALOGUE
from desktop_dl.core.losses import RULES
from desktop_dl.core.shapes import analyse
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.core.templates import load_template, template_names

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("type_name", list(CATALOGUE))
def test_every_layer_is_explained_in_both_languages(type_name):
    en, zh = ex.layer_text(type_name, "en"), ex.layer_text(type_name, "zh_CN")
    # Chinese says the same in about a third of the characters.
    for text, scale in ((en, 3), (zh, 1)):
        assert len(text.what) > 10 * scale and len(text.when) > 5 * scale
        assert set(text.params) == {p.name for p in CATALOGUE[type_name].params}
        assert all(len(t) > 4 * scale for t in text.params.values()), text.params
    for t in [en.what, en.when, *en.params.values()]:
        assert not CJK.search(t), t
    for t in [zh.what, zh.when, *zh.params.values()]:
        assert CJK.search(t), t
    assert ex.tooltip(type_name, "zh_CN").startswith(zh.what)


def test_the_issue_example_dense_512_after_flatten():
    spec = ModelSpec((28, 28, 1), [LayerSpec("Flatten"), LayerSpec("Dense", {"units": 512})])
    e = ex.explain(spec, 1)
    assert ("784 inputs × 512 units = 401,408 weights, + 512 biases = 401,920 parameters; "
            "output shape (None, 512)") in e.figures
    assert e.parameters == 401_920 and e.output_shape == (None, 512)
    zh = ex.explain(spec, 1, "zh_CN")
    assert "784 个输入 × 512 个单元 = 401,408 个权重，+ 512 个偏置 = 401,920 个参数；输出形状 (None, 512)" in zh.figures
    assert "401,920" in zh.text and "何时使用" in zh.text


def _total_in(figures, lang):
    """The parameter total a figure line states ("= N parameters" / "= N 个参数")."""
    pattern = r"= ([\d,]+) parameters" if lang == "en" else r"= ([\d,]+) 个参数"
    found = [int(m.replace(",", "")) for line in figures for m in re.findall(pattern, line)]
    if found:
        return found[-1]
    if any(("no parameters" in l) or ("没有参数" in l) for l in figures):
        return 0
    return None


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("template", template_names())
def test_figures_equal_the_summary_for_every_template_layer(template, lang):
    spec = load_template(template)
    analysis = analyse(spec)
    assert analysis.ok, analysis.problems
    for i, report in enumerate(analysis.layers):
        e = ex.explain(spec, i, lang, analysis=analysis)
        assert e.parameters == report.params and e.output_shape == report.output_shape
        # The stated total is the summary's; every layer type in a template gets its breakdown.
        assert _total_in(e.figures, lang) == report.params, (report.type, e.figures)
        shape = "(" + ", ".join("None" if d is None else str(d) for d in report.output_shape) + ")"
        assert any(shape in line for line in e.figures), (shape, e.figures)


def test_breakdowns_multiply_out():
    spec = ModelSpec((28, 28, 3), [
        LayerSpec("Conv2D", {"filters": 16, "kernel_size": [5, 3], "strides": 2, "padding": "same"}),
        LayerSpec("SeparableConv2D", {"filters": 8, "depth_multiplier": 2}),
        LayerSpec("BatchNormalization", {"center": False}),
        LayerSpec("Reshape", {"target_shape": [-1, 8]}),
        LayerSpec("GRU", {"units": 5, "return_sequences": True}),
        LayerSpec("Conv1D", {"filters": 4, "kernel_size": 3, "use_bias": False}),
        LayerSpec("MaxPooling1D", {"pool_size": 2}),
        LayerSpec("SimpleRNN", {"units": 3}),
        LayerSpec("Dense", {"units": 2, "use_bias": False}),
    ])
    analysis = analyse(spec)
    assert analysis.ok, analysis.problems
    figs = [ex.explain(spec, i, analysis=analysis).figures for i in range(len(spec.layers))]
    assert figs[0][1].startswith("5×3 kernel × 3 input channels × 16 filters = 720 weights, + 16 biases = 736")
    assert "Height: 28 ÷ 2 rounded up = 14; width: 28 ÷ 2 rounded up = 14 (padding same)" in figs[0][2]
    # 3×3×16×2 = 288 depthwise, 32 × 8 = 256 pointwise, + 8 = 552 (Keras: 552)
    assert "= 552 parameters" in figs[1][1] and analysis.layers[1].params == 552
    assert figs[2][1].startswith("1 × 8 trainable (γ, β) + 2 × 8 non-trainable")
    assert analysis.layers[2].trainable == 8 and analysis.layers[2].non_trainable == 16
    # GRU (reset_after): 3 × (5 × (8 + 5) + 2 × 5) = 225
    assert figs[4][1].startswith("3 × (5 units × (8 inputs + 5 state) + 2 × 5 biases) = 225 parameters")
    assert analysis.layers[4].params == 225
    assert figs[5][1].startswith("3 steps × 5 features × 4 filters = 60 weights (no biases) = 60")
    assert figs[7][1].startswith("(3 units × (4 inputs + 3 state) + 3 biases) = 24 parameters")
    assert figs[8][1].startswith("3 inputs × 2 units = 6 weights (no biases) = 6 parameters")


def test_input_row_shows_the_sample_as_a_tensor_and_the_batch():
    spec = load_template("mnist-cnn")
    e = ex.explain(spec, None)
    assert "rank-3 tensor of shape (28, 28, 1) = 784 values, dtype float32" in e.figures[0]
    assert "(batch, 28, 28, 1)" in e.figures[1] and "(None, 28, 28, 1)" in e.figures[1]
    assert "3 阶张量" in ex.explain(spec, None, "zh_CN").figures[0]


def test_a_layer_with_a_problem_shows_it_and_no_figures():
    spec = ModelSpec((10,), [LayerSpec("Conv2D"), LayerSpec("Dense", {"units": 3})])
    e = ex.explain(spec, 0)
    assert e.figures == [] and "Conv2D" in e.error and "Problem:" in e.text
    assert ex.explain(spec, 1).figures == []      # shape unknown after the error


def test_rules_in_both_languages_and_in_messages():
    from desktop_dl.core import i18n
    from desktop_dl.core.loss_choice import check_output_for_task
    from desktop_dl.core.templates import load_template
    for task in RULES:
        assert ex.rule_text(task) == RULES[task]
        with i18n.language("zh_CN"):
            assert CJK.search(ex.rule_text(task))
    spec = load_template("mnist-dense")          # ends in Dense(10, softmax)
    assert check_output_for_task(spec, "binary").endswith("Rule: " + RULES["binary"])
    with i18n.language("zh_CN"):
        message = check_output_for_task(spec, "binary")
        assert "规则：" in message and message.endswith(ex.rule_text("binary"))


@pytest.mark.parametrize("garbage", ["a", None, [1, "x"], -3, 1e9, {"k": 1}, True])
def test_hand_edited_nonsense_never_breaks_an_explanation(garbage):
    for type_name, layer_type in CATALOGUE.items():
        if type_name == "Input":
            continue
        for param in layer_type.params:
            spec = ModelSpec((28, 28, 1), [LayerSpec(type_name, {param.name: garbage})])
            for lang in ("en", "zh_CN"):
                e = ex.explain(spec, 0, lang)
                assert e.title.startswith(type_name) and e.text
