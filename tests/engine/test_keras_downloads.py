"""Keras dataset downloads: the real offline failure, and progress/cancel against a local server."""
import functools
import http.server
import socket
import threading

import numpy as np
import pytest

from desktop_dl.core.errors import DatasetError
from desktop_dl.engine import keras_downloads
from desktop_dl.engine.keras_downloads import DownloadCancelled, download_keras_dataset


def _online(host="storage.googleapis.com") -> bool:
    try:
        socket.getaddrinfo(host, 443)
        return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def private_keras_home(tmp_path, monkeypatch):
    # Files in the real ~/.keras cache would be used instead of downloading.
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setenv("DESKTOP_DL_DATA", str(tmp_path / "data"))


@pytest.mark.skipif(_online(), reason="this machine can reach the internet; the offline path "
                                       "is covered by test_unreachable_host_says_how_to_import")
def test_real_offline_failure_says_how_to_import_by_hand():
    with pytest.raises(DatasetError) as info:
        download_keras_dataset("mnist", timeout=10)
    message = str(info.value)
    assert "could not reach storage.googleapis.com" in message
    assert "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz" in message
    assert "Import file…" in message


def test_unreachable_host_says_how_to_import():
    # .invalid never resolves (RFC 2606): the same code path as having no network at all.
    with pytest.raises(DatasetError) as info:
        download_keras_dataset("fashion_mnist", origin="http://desktop-dl.invalid/", timeout=5)
    message = str(info.value)
    assert "could not reach desktop-dl.invalid" in message
    assert "train-images-idx3-ubyte.gz" in message and "Import folder…" in message
    assert not list((keras_downloads.downloads_dir("fashion_mnist")).iterdir())   # no leftovers


@pytest.fixture
def file_server(tmp_path):
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _write_mnist_npz(path, n=2000):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    y = (np.arange(n) % 10).astype(np.uint8)
    np.savez(path, x_train=x[: n - 200], y_train=y[: n - 200], x_test=x[n - 200:], y_test=y[n - 200:])


def test_download_reports_progress_and_reads_the_file(file_server):
    root, url = file_server
    _write_mnist_npz(root / "mnist.npz")
    reports = []
    ds = download_keras_dataset("mnist", reports.append, origin=url, check_hash=False)
    assert len(ds) == 2000 and ds.fixed_test_count() == 200 and ds.input_shape == (28, 28, 1)
    fractions = [r["fraction"] for r in reports]
    assert len(fractions) > 3 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert (keras_downloads.downloads_dir("mnist") / "mnist.npz").is_file()


def test_cancel_stops_and_leaves_no_partial_file(file_server):
    root, url = file_server
    _write_mnist_npz(root / "mnist.npz")
    reports = []
    with pytest.raises(DownloadCancelled, match="cancelled"):
        download_keras_dataset("mnist", reports.append, lambda: len(reports) >= 2, origin=url,
                               check_hash=False)
    assert not list(keras_downloads.downloads_dir("mnist").iterdir())


def test_a_file_with_the_wrong_checksum_is_deleted(file_server):
    root, url = file_server
    _write_mnist_npz(root / "mnist.npz", n=300)
    with pytest.raises(DatasetError, match="checksum differs"):
        download_keras_dataset("mnist", origin=url)
    assert not list(keras_downloads.downloads_dir("mnist").iterdir())


def test_missing_file_on_server_is_a_message(file_server):
    _root, url = file_server
    with pytest.raises(DatasetError, match="404"):
        download_keras_dataset("imdb", origin=url)


def test_a_planted_cache_file_is_never_used(tmp_path, monkeypatch):
    """~/.keras/datasets files must match Keras's checksum (Fashion-MNIST's four included)."""
    import dataclasses
    import hashlib

    from desktop_dl.core.datasets import keras_files
    from desktop_dl.core.datasets.mnist_files import write_idx

    cache = tmp_path / "keras-home" / "datasets" / "fashion-mnist"
    cache.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for split, n in (("train", 60), ("t10k", 20)):
        write_idx(cache / f"{split}-images-idx3-ubyte.gz", rng.integers(0, 255, (n, 28, 28), dtype=np.uint8))
        write_idx(cache / f"{split}-labels-idx1-ubyte.gz", (np.arange(n) % 10).astype(np.uint8))
    assert keras_downloads.find_cached("fashion_mnist") is None        # planted: wrong checksums
    assert all(p.exists() for p in cache.iterdir())                    # Keras's cache: left alone

    # The same files with matching checksums are used.
    info = keras_files.KERAS_FILES["fashion_mnist"]
    hashes = tuple(hashlib.sha256((cache / n).read_bytes()).hexdigest() for n in info.files)
    monkeypatch.setitem(keras_files.KERAS_FILES, "fashion_mnist",
                        dataclasses.replace(info, sha256=hashes))
    assert keras_downloads.find_cached("fashion_mnist") == cache
    assert len(download_keras_dataset("fashion_mnist")) == 80


def test_every_keras_set_has_a_checksum_per_file():
    from desktop_dl.core.datasets.keras_files import KERAS_FILES

    for info in KERAS_FILES.values():
        assert len(info.sha256) == len(info.files)
        assert all(len(h) == 64 and int(h, 16) >= 0 for h in info.sha256)
