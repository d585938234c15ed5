"""Bad input gives a DatasetError a learner can act on; each case is a real malformed file."""
import numpy as np
import pytest
from PIL import Image

from desktop_dl.core.datasets import load_dataset
from desktop_dl.core.datasets.mnist_files import write_idx
from desktop_dl.core.errors import DatasetError, UserError


def _fails(path, match, **options):
    with pytest.raises(DatasetError, match=match) as info:
        load_dataset(path, **options)
    assert isinstance(info.value, UserError)
    assert "Traceback" not in str(info.value)
    return str(info.value)


def test_empty_file(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    _fails(tmp_path / "empty.csv", r"'empty.csv' is empty")


def test_blank_lines_only(tmp_path):
    (tmp_path / "blank.csv").write_text("\n\n  \n")
    _fails(tmp_path / "blank.csv", "no rows")


def test_header_without_rows(tmp_path):
    (tmp_path / "head.csv").write_text("a,b,c\n")
    _fails(tmp_path / "head.csv", "no data rows")


def test_wrong_delimiter_names_the_right_one(tmp_path):
    (tmp_path / "semi.csv").write_text("a;b;label\n1;2;x\n3;4;y\n")
    message = _fails(tmp_path / "semi.csv", "only one column", delimiter=",")
    assert "semicolon" in message


def test_no_delimiter_at_all(tmp_path):
    (tmp_path / "words.csv").write_text("hello there, friend\nsecond line\nthird, a, b\n")
    _fails(tmp_path / "words.csv", "does not look like a table|ragged")


def test_ragged_rows_name_the_lines(tmp_path):
    (tmp_path / "ragged.csv").write_text("a,b,label\n1,2,x\n3,4\n5,6,y,7\n")
    message = _fails(tmp_path / "ragged.csv", "ragged rows")
    assert "line 3 has 2" in message and "line 4 has 4" in message


def test_one_class_target(tmp_path):
    (tmp_path / "one.csv").write_text("a,b,label\n1,2,cat\n3,4,cat\n5,6,cat\n")
    _fails(tmp_path / "one.csv", "only one value .'cat'.*nothing to learn")


def test_unknown_target_lists_columns(tmp_path):
    (tmp_path / "t.csv").write_text("a,b,label\n1,2,x\n3,4,y\n")
    _fails(tmp_path / "t.csv", "no column 'price'.*a, b, label", target="price")


def test_text_target_cannot_be_regression(tmp_path):
    (tmp_path / "t.csv").write_text("a,b,label\n1,2,x\n3,4,y\n")
    _fails(tmp_path / "t.csv", "only be used for classification", task="regression")


def test_all_rows_missing_suggests_fill(tmp_path):
    (tmp_path / "m.csv").write_text("a,b,label\n1,,x\n,4,y\n")
    _fails(tmp_path / "m.csv", "Choose 'fill'")


def test_truncated_gzipped_idx(tmp_path):
    x = np.zeros((100, 28, 28), np.uint8)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", x)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(100, np.uint8))
    data = (tmp_path / "train-images-idx3-ubyte.gz").read_bytes()
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(data[: len(data) // 2])
    _fails(tmp_path, "train-images-idx3-ubyte.gz.*(truncated|damaged)")


def test_truncated_plain_idx(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros((100, 28, 28), np.uint8))
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(100, np.uint8))
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:5000])
    message = _fails(tmp_path, "truncated")
    assert "100 items" in message


def test_not_an_idx_file(tmp_path):
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"PK\x03\x04 definitely not idx")
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(b"PK\x03\x04 nor this")
    _fails(tmp_path, "not an IDX file")


def test_mismatched_image_and_label_counts_idx(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", np.zeros((100, 28, 28), np.uint8))
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(99, np.uint8))
    _fails(tmp_path, "100 images but 'train-labels-idx1-ubyte.gz' holds 99 labels")


def test_mismatched_counts_npz(tmp_path):
    np.savez(tmp_path / "m.npz", x_train=np.zeros((10, 28, 28), np.uint8),
             y_train=np.arange(9) % 2, x_test=np.zeros((2, 28, 28), np.uint8), y_test=np.arange(2))
    _fails(tmp_path / "m.npz", "10 images in x_train but 9 labels")


@pytest.mark.parametrize("compressed", [False, True])
def test_truncated_npz(tmp_path, compressed):
    save = np.savez_compressed if compressed else np.savez
    rng = np.random.default_rng(0)
    save(tmp_path / "full.npz", x=rng.integers(0, 255, (500, 28, 28), dtype=np.uint8),
         y=np.arange(500) % 10)
    data = (tmp_path / "full.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) * 2 // 3])
    _fails(tmp_path / "cut.npz", "'cut.npz'.*(truncated|not a complete|damaged)")


def test_npz_with_other_arrays(tmp_path):
    np.savez(tmp_path / "o.npz", weights=np.zeros(3))
    _fails(tmp_path / "o.npz", "holds the arrays weights")


def test_npz_with_one_label(tmp_path):
    np.savez(tmp_path / "o.npz", x=np.zeros((5, 8, 8), np.uint8), y=np.zeros(5, np.uint8))
    _fails(tmp_path / "o.npz", "at least two classes")


def test_two_gigabyte_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:
        f.truncate(3 * 1024 ** 3)       # sparse: costs no disk
    _fails(path, r"'huge.csv' is 3.0 GB; desktop_dl reads tables up to 1.5 GB")
    npz = tmp_path / "huge.npz"
    with open(npz, "wb") as f:
        f.truncate(3 * 1024 ** 3)
    _fails(npz, r"'huge.npz' is 3.0 GB; desktop_dl reads data files up to 2.0 GB")


def test_image_folder_with_only_non_images(tmp_path):
    for cls in ("a", "b"):
        (tmp_path / cls).mkdir()
        (tmp_path / cls / "readme.txt").write_text("not an image")
    _fails(tmp_path, "holds no PNG, JPEG or BMP images")


def test_image_folder_skips_non_image_and_broken_files_with_a_warning(tmp_path):
    for cls in ("a", "b"):
        (tmp_path / cls).mkdir()
        for i in range(3):
            Image.fromarray(np.full((10, 10), 40 * i, np.uint8)).save(tmp_path / cls / f"{i}.png")
    (tmp_path / "a" / "notes.txt").write_text("hello")
    (tmp_path / "b" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    ds = load_dataset(tmp_path, size=8)
    assert len(ds) == 6
    text = " ".join(ds.warnings)
    assert "a/notes.txt" in text and "b/broken.png" in text


def test_image_folder_without_class_folders(tmp_path):
    Image.fromarray(np.zeros((10, 10), np.uint8)).save(tmp_path / "x.png")
    _fails(tmp_path, "one sub-folder per class")


def test_unknown_file_type(tmp_path):
    (tmp_path / "model.h5").write_bytes(b"\x89HDF")
    _fails(tmp_path / "model.h5", "does not know how to read 'model.h5'")


def test_truncated_large_gzipped_idx_is_caught_before_streaming(tmp_path):
    rng = np.random.default_rng(0)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", rng.integers(0, 255, (7000, 28, 28), dtype=np.uint8))
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(7000, np.uint8))
    path = tmp_path / "train-images-idx3-ubyte.gz"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 1000])
    _fails(tmp_path, "truncated or damaged.*7,000 items")


def test_damage_found_while_streaming_is_a_message_not_a_crash(tmp_path):
    import gzip

    from desktop_dl.core.datasets.streamed_array import StreamedArray

    payload = gzip.compress(np.arange(100, dtype=np.uint8).tobytes() * 20)
    (tmp_path / "short.gz").write_bytes(payload)
    array = StreamedArray(lambda: gzip.open(tmp_path / "short.gz"), (50, 100), np.uint8, "short.gz")
    assert array[5][3] == 3                     # what is there can be read
    with pytest.raises(DatasetError, match="'short.gz' is damaged or truncated.*20 of 50"):
        array[40]


def test_binary_asked_for_three_classes(tmp_path):
    (tmp_path / "t.csv").write_text("a,label\n" + "\n".join(f"{i},{'xyz'[i % 3]}" for i in range(9)))
    _fails(tmp_path / "t.csv", "has 3 classes; binary classification needs exactly two", task="binary")


def test_truncated_gzipped_csv(tmp_path):
    import gzip

    data = gzip.compress(("a,b,label\n" + "\n".join(f"{i},{i},{i % 2}" for i in range(5000))).encode())
    (tmp_path / "t.csv.gz").write_bytes(data[: len(data) // 2])
    _fails(tmp_path / "t.csv.gz", "not a complete gzip file")
