"""analyse(): shapes and counts per layer, and every problem with a learner's message."""
import pytest

from desktop_dl.core.shapes import analyse, layer_names
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.core.templates import load_template


def L(type_, **params):
    return LayerSpec(type_, params)


def spec(shape, *layers, dtype="float32", loss="auto"):
    s = ModelSpec(tuple(shape), list(layers), input_dtype=dtype)
    s.compile.loss = loss
    return s


def messages(analysis):
    return [(p.index, p.message) for p in analysis.problems]


def test_mnist_dense_counts_like_keras():
    a = analyse(load_template("mnist-dense"))
    assert [r.output_shape for r in a.layers] == [(None, 784), (None, 512), (None, 10)]
    assert [r.params for r in a.layers] == [0, 401_920, 5_130]
    assert a.total == a.trainable == 407_050 and a.non_trainable == 0
    assert a.ok and a.input_shape == (None, 28, 28, 1)


def test_imdb_counts():
    assert analyse(load_template("imdb-binary")).total == 160_305


def test_batchnorm_counts_non_trainable():
    a = analyse(spec((10,), L("Dense", units=4), L("BatchNormalization")))
    assert (a.trainable, a.non_trainable) == (44 + 8, 8)


def test_conv_after_flatten_names_the_fix():
    a = analyse(spec((28, 28, 1), L("Flatten"), L("Conv2D", filters=8), L("Dense", units=10)))
    assert messages(a) == [(1, "Conv2D needs an image (height, width, channels), but Flatten "
                               "gives a vector of 784 — add a Reshape to (28, 28, 1) or remove "
                               "the Flatten.")]
    assert a.layers[1].error == a.problems[0].message
    assert a.layers[1].output_shape is None and a.layers[2].output_shape is None
    assert a.layers[0].output_shape == (None, 784)


def test_conv_on_a_plain_input_vector():
    a = analyse(spec((3072,), L("Conv2D")))
    assert "the input is a vector of 3072 — add a Reshape to (32, 32, 3)" in a.problems[0].message


def test_lstm_without_a_sequence():
    a = analyse(spec((100,), L("LSTM")))
    assert a.problems[0].index == 0
    assert a.problems[0].message.startswith("LSTM needs a sequence (steps, features), but the "
                                            "input is a vector of 100 — put an Embedding first")
    for layer in ("GRU", "SimpleRNN", "Conv1D", "MaxPooling1D"):
        assert analyse(spec((28, 28, 1), L(layer))).problems[0].message.startswith(
            f"{layer} needs a sequence"), layer


def test_kernel_larger_than_input_and_pooling_to_nothing():
    a = analyse(spec((4, 4, 1), L("Conv2D", kernel_size=5)))
    assert "5×5 kernel is larger than its 4×4 input" in a.problems[0].message
    a = analyse(spec((28, 28, 1), *[L("MaxPooling2D")] * 5, L("MaxPooling2D")))
    assert [r.output_shape for r in a.layers[:4]] == [
        (None, 14, 14, 1), (None, 7, 7, 1), (None, 3, 3, 1), (None, 1, 1, 1)]
    assert messages(a)[0][0] == 4
    assert "would shrink 1×1 to nothing" in a.problems[0].message
    assert len(a.problems) == 1, "the layer after an error is unknown, not a second error"


def test_same_padding_and_strides():
    a = analyse(spec((28, 28, 3), L("Conv2D", filters=4, kernel_size=(3, 5), strides=2,
                                     padding="same"),
                     L("MaxPooling2D", pool_size=3, padding="same")))
    assert [r.output_shape for r in a.layers] == [(None, 14, 14, 4), (None, 5, 5, 4)]
    assert a.layers[0].params == 3 * 5 * 3 * 4 + 4


def test_reshape_size_must_match():
    a = analyse(spec((784,), L("Reshape", target_shape=[28, 27, 1])))
    assert a.problems[0].message == (
        "Reshape to (28, 27, 1) needs 756 values, but the input is a vector of 784 (784 values) "
        "— choose a target whose sizes multiply to 784, or use -1 for one dimension.")
    a = analyse(spec((784,), L("Reshape", target_shape=[-1, 28, 1])))
    assert a.ok and a.output_shape == (None, 28, 28, 1)


def test_softmax_over_one_unit():
    a = analyse(spec((4,), L("Dense", units=1, activation="softmax")))
    assert a.problems[0].index == 0
    assert a.problems[0].message.startswith("softmax over one unit always outputs 1.0")
    assert a.layers[0].output_shape == (None, 1), "the shape is still known"


def test_embedding_needs_int_input_and_first_place():
    a = analyse(spec((200,), L("Embedding")))
    assert messages(a) == [(0, "Embedding needs whole-number token ids, but the input is float32 "
                               "— set the input dtype to int32.")]
    a = analyse(spec((20,), L("Dense", units=20), L("Embedding"), dtype="float32"))
    assert any(i == 1 and "Embedding must be the first layer" in m for i, m in messages(a))
    a = analyse(spec((20,), L("Dense", units=4), dtype="int32"))
    assert any("only an Embedding can take" in m for _, m in messages(a))
    ok = analyse(spec((None,), L("Embedding", input_dim=100, output_dim=8), L("LSTM", units=4),
                      dtype="int32"))
    assert ok.ok and [r.output_shape for r in ok.layers] == [(None, None, 8), (None, 4)]


@pytest.mark.parametrize("loss,last,fragment", [
    ("binary_crossentropy", L("Dense", units=10, activation="softmax"),
     "binary_crossentropy needs sigmoid outputs, but the model ends with Dense(10, softmax)"),
    ("sparse_categorical_crossentropy", L("Dense", units=1, activation="sigmoid"),
     "needs softmax over at least 2 units"),
    ("categorical_crossentropy", L("Dense", units=3, activation="relu"),
     "needs softmax over at least 2 units"),
    ("mse", L("Dense", units=3, activation="softmax"), "always add up to 1"),
])
def test_loss_that_does_not_fit_the_output(loss, last, fragment):
    a = analyse(spec((8,), L("Dense", units=8), last, loss=loss))
    found = [m for i, m in messages(a) if i == 1 and fragment in m]
    assert found and "Rule:" in found[0]


def test_loss_looks_through_dropout():
    a = analyse(spec((8,), L("Dense", units=1, activation="sigmoid"), L("Dropout"),
                     loss="binary_crossentropy"))
    assert a.ok


def test_independent_problems_are_all_reported():
    a = analyse(spec((10,), L("Conv2D"), L("Dense", units=0), L("Dropout", rate=2.0),
                     L("Bogus"), L("Input")))
    indices = [i for i, _ in messages(a)]
    assert indices == [0, 1, 2, 3, 4]
    assert "Dense: units must be a whole number from 1 to 100000 (it is 0)." in messages(a)[1][1]
    assert "Unknown layer type 'Bogus'" in messages(a)[3][1]
    assert "Input is always the first row" in messages(a)[4][1]
    a = analyse(spec((10,), L("Dense", unitz=3)))
    assert "Dense has no parameter 'unitz'" in a.problems[0].message


def test_bad_input_shape_is_a_model_problem():
    a = analyse(spec((0, 3), L("Dense")))
    assert a.problems[0].index is None and a.problems[0].message.startswith("Input: shape")
    assert a.input_shape is None and a.layers[0].output_shape is None


def test_free_dimensions():
    a = analyse(spec((None, 3), L("Conv1D", filters=4, kernel_size=3), L("MaxPooling1D"),
                     L("GlobalAveragePooling1D"), L("Dense", units=2)))
    assert [r.output_shape for r in a.layers] == [(None, None, 4), (None, None, 4),
                                                 (None, 4), (None, 2)]
    a = analyse(spec((None, 3), L("Flatten")))
    assert "Flatten needs a fixed size" in a.problems[0].message


def test_empty_model_and_names():
    a = analyse(spec((3,)))
    assert a.ok and a.total == 0 and a.output_shape == (None, 3)
    s = load_template("mnist-cnn")
    assert layer_names(s) == ["conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1",
                              "flatten", "dropout", "dense"]


def test_to_dict_is_json_ready():
    import json
    d = analyse(load_template("mnist-cnn")).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["total"] == 34_826 and d["layers"][0]["output_shape"] == [None, 26, 26, 32]


def test_hints_are_advice_not_errors():
    a = analyse(spec((28, 28, 1), L("Conv2D", filters=4), L("Dense", units=10)))
    assert a.ok, "Keras accepts this model"
    assert [h.index for h in a.hints] == [1, 1]
    assert "add Flatten" in a.hints[0].message
    assert "output is not a vector but an image 26×26×10" in a.hints[1].message
    a = analyse(spec((4,), L("Dense", units=1, activation="sigmoid"), L("Dropout")))
    assert a.ok and "Dropout as the last layer" in a.hints[0].message
    assert analyse(load_template("mnist-cnn")).hints == []


def test_free_size_images_need_fixed_channels():
    a = analyse(spec((None, None, 3), L("Conv2D", filters=4), L("GlobalAveragePooling2D")))
    assert a.ok and [r.output_shape for r in a.layers] == [(None, None, None, 4), (None, 4)]
    a = analyse(spec((28, 28, None), L("Conv2D")))
    assert "Conv2D needs a fixed number of channels" in a.problems[0].message
