"""Exported scripts never run a sender's code: every spec string reaches the script as data.

For each hostile spec the generated script is parsed with `ast` and compared with the script of
the same spec with harmless strings: the statements (kind and order, at every depth) and the
names used must be the same, and the hostile text may appear only inside string constants.
"""
import ast
import io
import tokenize

import pytest

from desktop_dl.core.codegen import generate_script, model_code
from desktop_dl.core.errors import SpecError
from desktop_dl.core.spec import CompileSpec, LayerSpec, ModelSpec

PAYLOADS = [
    'x"""\nimport os; os.system("touch /tmp/pwned")\n"""',
    "x'''\nimport os\n'''",
    'a"); import os; os.system("id"); ("',
    "a'); import os; os.system('id'); ('",
    "\\",
    'ends with a backslash \\',
    '"""',
    "line\rbreak\x0bvertical\x0cfeed\x00nul",
    "\u2028sep\u2029para\x85next",
    "\ud800 lone surrogate",
    "#\nimport os\n#",
    "{__import__('os').system('id')}",
    "\\N{LATIN SMALL LETTER A}\\x41\\u0041",
]


def _spec(text: str, **overrides) -> ModelSpec:
    spec = ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}),
                                   LayerSpec("Dense", {"units": 10, "activation": "softmax"})],
                     CompileSpec(), name=text, description=text)
    for key, value in overrides.items():
        setattr(spec, key, value)
    return spec


def _shape(source: str):
    tree = ast.parse(source)
    statements = [type(n).__name__ for n in ast.walk(tree) if isinstance(n, ast.stmt)]
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    calls = sum(isinstance(n, ast.Call) for n in ast.walk(tree))
    return statements, names, attributes, calls


def _assert_only_generated_code(source: str, reference: str, payload: str) -> None:
    assert "\x00" not in source
    assert _shape(source) == _shape(reference)
    # The hostile text must never appear outside a string or a comment.
    code_only = "".join(tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                        if tok.type not in (tokenize.STRING, tokenize.COMMENT))
    for fragment in ("os.system", "__import__", "/tmp/pwned"):
        if fragment in payload:
            assert fragment not in code_only


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("dataset", [None, "mnist-5k", "iris"])
def test_name_and_description_stay_text(payload, dataset):
    source = generate_script(_spec(payload), dataset)
    _assert_only_generated_code(source, generate_script(_spec("harmless"), dataset), payload)
    module = ast.parse(source)
    doc = ast.get_docstring(module, clean=False)
    # The docstring holds the text as given (whitespace of the title folded).
    assert " ".join(payload.split()) in doc or payload.strip() == ""


@pytest.mark.parametrize("payload", PAYLOADS)
def test_dtype_and_layer_strings_stay_text(payload):
    # Validation refuses an unknown dtype; the generator escapes it anyway (model_code skips
    # validation, so it shows the escaping alone).
    with pytest.raises(SpecError):
        generate_script(_spec("m", input_dtype=payload))
    _assert_only_generated_code(model_code(_spec(payload, input_dtype=payload)),
                                model_code(_spec("m", input_dtype="int32")), payload)

    for field in ("activation", "name"):
        layers = [LayerSpec("Flatten", {}), LayerSpec("Dense", {"units": 10, field: payload})]
        try:
            source = generate_script(_spec("m", layers=layers))
        except SpecError:
            continue     # refused by validation: nothing generated, equally safe
        reference = generate_script(_spec("m", layers=[
            LayerSpec("Flatten", {}), LayerSpec("Dense", {"units": 10, field: "relu"})]))
        _assert_only_generated_code(source, reference, payload)


@pytest.mark.parametrize("payload", PAYLOADS[:4])
def test_compile_strings_stay_text(payload):
    spec = _spec("m")
    spec.compile = CompileSpec(loss=payload, metrics=[payload])
    try:
        source = generate_script(spec)
    except SpecError:
        return
    _assert_only_generated_code(source, generate_script(_spec("m")), payload)


def test_an_imdb_vocabulary_that_is_text_is_not_pasted():
    spec = ModelSpec((200,), [LayerSpec("Embedding", {"input_dim": "1); import os; (1",
                                                      "output_dim": 8}),
                              LayerSpec("GlobalAveragePooling1D", {}),
                              LayerSpec("Dense", {"units": 1, "activation": "sigmoid"})],
                     input_dtype="int32")
    try:
        source = generate_script(spec, "imdb")
    except SpecError:
        return
    assert "import os" not in "".join(
        tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type != tokenize.STRING)
