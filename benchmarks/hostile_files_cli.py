"""Every hostile file of tests/security through the CLI: exit status, stderr lines, time, peak RSS.

    python benchmarks/hostile_files_cli.py [--code-root DIR] [--timeout 60]

`--code-root` runs another checkout's code (e.g. an export of main) against the same files, for
a before/after table. Each child is limited to 3 GB of address space, like the tests.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "security"))
sys.path.insert(0, str(ROOT))

RUNNER = ("import atexit, resource, runpy, sys; atexit.register(lambda: sys.stderr.write("
          "'@@RSS %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)); "
          "sys.argv = ['desktop-dl'] + sys.argv[1:]; runpy.run_module('desktop_dl', run_name='__main__')")


def _limit():
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def cases(folder: Path) -> dict[str, list[str]]:
    import hostile_files as hf

    secret = folder / "private" / "secret.keras"
    secret.parent.mkdir()
    secret.write_bytes(b"SECRET")
    made = {f"keras:{n}": ["export", str(p), "--format", "onnx", "--out", "{out}/m.onnx"]
            for n, p in hf.keras_cases(folder).items()}
    made.update({f"project:{n}": ["summary", "--spec", str(p)]
                 for n, p in hf.project_cases(folder, secret).items()})
    made["spec:deep"] = ["summary", "--spec", str(hf.spec_deep(folder / "deep.json"))]
    train = ["train", "--template", "mnist-dense", "--epochs", "1", "--out", "{out}/run", "--dataset"]
    made["data:npz_declared_huge"] = train + [str(hf.npz_declared_huge(folder / "huge.npz"))]
    made["data:npz_zip_bomb"] = train + [str(hf.npz_zip_bomb(folder / "bomb.npz"))]
    made["data:idx_gzip_bomb"] = train + [str(hf.idx_gzip_bomb(folder))]
    made["data:dev_zero"] = train + ["/dev/zero"]
    onnx_model = hf.tiny_digit_onnx(folder / "digits.onnx")
    made["image:pixel_bomb"] = ["predict", str(onnx_model), str(hf.png_pixel_bomb(folder / "big.png"))]
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code-root", default=str(ROOT))
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="desktop_dl-hostile-") as tmp:
        folder = Path(tmp) / "files"
        folder.mkdir()
        made = cases(folder)
        print(f"{'case':<38}{'exit':>5}{'lines':>6}{'traceback':>10}{'seconds':>8}{'peak MB':>9}")
        for name, argv in made.items():
            out = Path(tmp) / "out" / name.replace(":", "_")
            out.mkdir(parents=True)
            argv = [a.replace("{out}", str(out)) for a in argv]
            env = {**os.environ, "PYTHONPATH": args.code_root, "PYTHONDONTWRITEBYTECODE": "1",
                   "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore", "TMPDIR": str(out)}
            start = time.monotonic()
            try:
                proc = subprocess.run([sys.executable, "-c", RUNNER, *argv], cwd=out, env=env,
                                      capture_output=True, text=True, timeout=args.timeout,
                                      preexec_fn=_limit)
                code, err = proc.returncode, proc.stderr
            except subprocess.TimeoutExpired as exc:
                code, err = "T/O", (exc.stderr or b"").decode(errors="replace")
            seconds = time.monotonic() - start
            rss = [int(line.split()[1]) for line in err.splitlines() if line.startswith("@@RSS")]
            lines = [line for line in err.strip().splitlines() if not line.startswith("@@RSS")]
            print(f"{name:<38}{code:>5}{len(lines):>6}{'yes' if 'Traceback' in err else 'no':>10}"
                  f"{seconds:>8.1f}{(rss[0] / 1024 if rss else float('nan')):>9.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
