"""Every hostile file through the CLI (`python -m desktop_dl ...` in a child process).

Each must end with exit status 2 and exactly one line on stderr (no traceback) within 10 s, in a
child limited to 3 GB of address space; no payload may create the marker file, nothing may be
written outside the run's own folder, and no temporary file may be left behind.
"""
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

import hostile_files as hf

REPO = Path(__file__).resolve().parents[2]
ADDRESS_SPACE = 3 * 1024 ** 3
TIME_LIMIT = 10.0


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _postscript_decoder_on_main() -> bool:
    try:
        from desktop_dl.core.images import decode_image  # noqa: F401  (data15's decoder)
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    secret = folder / "private" / "secret.keras"
    secret.parent.mkdir()
    secret.write_bytes(b"SECRET" * 10)
    made = {}
    for name, path in hf.keras_cases(folder).items():
        made[f"keras:{name}"] = ["export", str(path), "--format", "onnx", "--out", "{out}/m.onnx"]
    for name, path in hf.project_cases(folder, secret).items():
        made[f"project:{name}"] = ["summary", "--spec", str(path)]
    bomb = hf.project(folder / "bomb.ddl", extra={"big.bin": b" " * (64 << 20)})
    made["project:zip_bomb"] = ["summary", "--spec", str(bomb)]
    made["spec:deep"] = ["summary", "--spec", str(hf.spec_deep(folder / "deep.json"))]
    made["spec:dev_zero"] = ["summary", "--spec", "/dev/zero"]
    fifo = folder / "pipe.json"
    os.mkfifo(fifo)
    made["spec:fifo"] = ["summary", "--spec", str(fifo)]
    train = ["train", "--template", "mnist-dense", "--epochs", "1", "--out", "{out}/run",
             "--dataset"]
    made["data:npz_declared_huge"] = train + [str(hf.npz_declared_huge(folder / "huge.npz"))]
    made["data:npz_zip_bomb"] = train + [str(hf.npz_zip_bomb(folder / "bomb.npz"))]
    made["data:npz_pickle"] = train + [str(hf.npz_object_pickle(folder / "obj.npz", folder))]
    made["data:idx_declared_huge"] = train + [str(hf.idx_declared_huge(folder))]
    made["data:idx_gzip_bomb"] = train + [str(hf.idx_gzip_bomb(folder))]
    made["data:dev_zero"] = train + ["/dev/zero"]
    fifo_npz = folder / "pipe.npz"
    os.mkfifo(fifo_npz)
    made["data:fifo"] = train + [str(fifo_npz)]
    field = folder / "field.csv"
    field.write_text("a,b\n1," + "x" * (17 << 20) + "\n2,y\n")      # a 17 MB cell
    made["data:csv_field_too_large"] = train + [str(field), "--target", "b"]
    onnx_model = hf.tiny_digit_onnx(folder / "digits.onnx")
    made["image:postscript_png"] = ["predict", str(onnx_model),
                                    str(hf.postscript_png(folder / "digit.png", folder))]
    made["image:pixel_bomb"] = ["predict", str(onnx_model), str(hf.png_pixel_bomb(folder / "big.png"))]
    return folder, made


CASES = (
    [f"keras:{n}" for n in ("config_bomb", "dense_20000", "module_not_text", "class_not_text",
                            "deep_nesting", "dotted_lambda", "keras_evil_module", "tfsm_layer",
                            "lookup_vocabulary_file", "h5_declared_huge", "zip_slip",
                            "asset_bomb", "not_a_zip")]
    + [f"project:{n}" for n in ("run_keras_path_outside", "dataset_dev_zero",
                                "member_referenced_200_times", "deep_json", "zip_bomb")]
    + ["spec:deep", "spec:dev_zero", "spec:fifo"]
    + [f"data:{n}" for n in ("npz_declared_huge", "npz_zip_bomb", "npz_pickle",
                             "idx_declared_huge", "idx_gzip_bomb", "dev_zero", "fifo")]
    + ["data:csv_field_too_large"]
    + ["image:pixel_bomb",
       pytest.param("image:postscript_png", marks=pytest.mark.xfail(
           not _postscript_decoder_on_main(), strict=False,
           reason="the image decoder allow-list (desktop_dl.core.images.decode_image, data15) "
                  "is not on main yet; without it Pillow hands PostScript to Ghostscript"))]
)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_hostile_file_ends_in_one_line_and_exit_2(files, tmp_path, case):
    folder, made = files
    out = tmp_path / "out"
    out.mkdir()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    args = [a.replace("{out}", str(out)) for a in made[case]]
    env = {**os.environ, "TMPDIR": str(scratch), "PYTHONPATH": str(REPO),
           "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}
    before = set(folder.rglob("*"))
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "desktop_dl", *args], cwd=out, env=env,
                          capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory)
    elapsed = time.monotonic() - start
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert lines[0].startswith(f"desktop-dl {args[0]}: error: ") or (
        args[0] == "predict" and ": error: " in lines[0])          # predict names the image
    assert elapsed < TIME_LIMIT, f"{case} took {elapsed:.1f} s"
    assert not hf.marker(folder).exists()
    assert "Ghostscript" not in proc.stderr
    # No temp files left. (`import onnxruntime` itself writes TMPDIR/.ses, a session id it
    # overwrites at every start; it holds nothing from the input.)
    assert [p.name for p in scratch.iterdir() if p.name != ".ses"] == []
    assert set(folder.rglob("*")) == before                   # nothing written beside the inputs
    assert [p.name for p in out.rglob("*") if p.is_file()] == []   # no output from a refused file
