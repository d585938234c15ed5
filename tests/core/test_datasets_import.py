"""Importing each format from real files the tests write: npz, gzipped IDX, CSV, image folders."""
import gzip

import numpy as np
import pytest
from PIL import Image

from desktop_dl.core.datasets import load_dataset
from desktop_dl.core.datasets.mnist_files import write_idx
from desktop_dl.core.datasets.table_preprocessing import apply_to_records


def _digits(n, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), (np.arange(n) % 10).astype(np.uint8)


def test_keras_mnist_npz_keeps_its_own_test_split(tmp_path):
    x, y = _digits(300)
    path = tmp_path / "mnist.npz"
    np.savez_compressed(path, x_train=x[:200], y_train=y[:200], x_test=x[200:], y_test=y[200:])
    ds = load_dataset(path)
    assert (ds.kind, ds.task, ds.input_shape, len(ds)) == ("image", "multiclass", (28, 28, 1), 300)
    assert ds.preprocessing.get("digit_normalisation") == "mnist"
    s = ds.splits(validation=0.1, test=0.3, seed=0)
    assert s.sizes() == {"train": 180, "validation": 20, "test": 100}
    assert np.array_equal(s.y_test, y[200:])
    assert np.allclose(s.x_test[5, :, :, 0], x[205] / 255.0, atol=1e-6)
    assert np.array_equal(ds.raw_sample(250), x[250]) and ds.label(250) == y[250]


def test_uncompressed_npz_is_memory_mapped(tmp_path):
    x, y = _digits(100)
    path = tmp_path / "digits.npz"
    np.savez(path, x=x, y=y)
    ds = load_dataset(path)
    assert isinstance(ds.x, np.memmap)
    assert np.array_equal(ds.raw_sample(42), x[42])
    assert ds.split_sizes(0.2, 0.1) == {"train": 70, "validation": 20, "test": 10}


def test_gzipped_idx_folder_like_lecuns_files(tmp_path):
    x, y = _digits(120, seed=3)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", x[:100])
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", y[:100])
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", x[100:])
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", y[100:])
    ds = load_dataset(tmp_path)
    assert len(ds) == 120 and ds.fixed_test_count() == 20
    assert np.array_equal(ds.raw_sample(7), x[7])
    # Picking one file finds its partners beside it.
    same = load_dataset(tmp_path / "train-labels-idx1-ubyte.gz")
    assert np.array_equal(same.labels, ds.labels)
    s = ds.splits(validation=0.2)
    assert s.x_train.shape == (80, 28, 28, 1) and np.array_equal(s.y_test, y[100:])


def test_plain_idx_is_memory_mapped(tmp_path):
    x, y = _digits(50)
    write_idx(tmp_path / "train-images-idx3-ubyte", x)
    write_idx(tmp_path / "train-labels-idx1-ubyte", y)
    ds = load_dataset(tmp_path)
    assert isinstance(ds.x, np.memmap) and np.array_equal(ds.raw_sample(49), x[49])


MIXED_CSV = """age;city;income;smoker;outcome
34;Paris;52000;yes;ill
51;Lyon;;no;well
29;Paris;38000;no;well
45;Nice;61000;yes;ill
38;Lyon;47000;no;well
60;NA;55000;yes;ill
23;Nice;31000;no;well
41;Paris;58000;no;ill
33;Lyon;42000;yes;well
57;Nice;66000;no;ill
"""


def test_csv_with_mixed_columns_and_missing_values_dropped(tmp_path):
    path = tmp_path / "patients.csv"
    path.write_text(MIXED_CSV)
    ds = load_dataset(path, target="outcome")
    assert (ds.kind, ds.task, ds.class_names) == ("table", "binary", ["ill", "well"])
    assert len(ds) == 8                                 # two rows with a missing value dropped
    assert any("dropped" in w for w in ds.warnings)
    # age, income numeric; city one-hot (3); smoker one-hot (2)
    assert ds.input_shape == (1 + 3 + 1 + 2,)
    s = ds.splits(validation=0.25, test=0.25, seed=0)
    assert s.x_train.dtype == np.float32 and s.y_train.dtype.kind == "i"
    age = s.preprocessing["features"][0]
    assert age["name"] == "age"
    assert s.x_train[:, 0].mean() == pytest.approx(0.0, abs=1e-5)   # standardised on train only
    assert s.x_train[:, 0].std() == pytest.approx(1.0, abs=1e-4)
    # Inference applies the same recipe to a raw record.
    row = apply_to_records(s.preprocessing, [{"age": "34", "city": "Paris", "income": "52000",
                                              "smoker": "yes"}])
    assert row.shape == (1, 7) and row[0, 1:4].tolist() == [0.0, 0.0, 1.0]  # Lyon, Nice, Paris


def test_csv_missing_values_filled_keeps_rows(tmp_path):
    path = tmp_path / "patients.csv"
    path.write_text(MIXED_CSV)
    ds = load_dataset(path, target="outcome", missing="fill", encoding="ordinal")
    assert len(ds) == 10 and ds.input_shape == (4,)
    s = ds.splits(validation=0.2, test=0.2)
    assert not np.isnan(s.x_train).any() and not np.isnan(s.x_test).any()


def test_tsv_regression_target_is_proposed(tmp_path):
    rng = np.random.default_rng(0)
    rows = ["x1\tx2\tprice"] + [f"{a:.3f}\t{b:.3f}\t{3 * a - b + 0.01 * i:.4f}"
                                for i, (a, b) in enumerate(rng.normal(size=(60, 2)))]
    path = tmp_path / "houses.tsv"
    path.write_text("\n".join(rows))
    ds = load_dataset(path)                            # last column is the default target
    assert ds.task == "regression" and ds.options["target"] == "price"
    s = ds.splits()
    assert s.y_train.dtype == np.float32 and s.sizes() == {"train": 48, "validation": 6, "test": 6}


def test_integer_target_with_few_values_is_multiclass(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text("score,grade\n" + "\n".join(f"{i * 1.5},{i % 3 + 1}" for i in range(30)))
    ds = load_dataset(path, target="grade")
    assert ds.task == "multiclass" and ds.class_names == ["1", "2", "3"]
    assert ds.class_counts().tolist() == [10, 10, 10]


def test_gzipped_csv(tmp_path):
    path = tmp_path / "t.csv.gz"
    with gzip.open(path, "wt") as f:
        f.write("a,b,label\n" + "\n".join(f"{i},{i * 2},{'yes' if i % 2 else 'no'}" for i in range(20)))
    assert load_dataset(path).task == "binary"


@pytest.mark.parametrize("name,task,classes,shape", [
    ("breast-cancer", "binary", 2, (30,)), ("wine", "multiclass", 3, (13,)),
    ("iris", "multiclass", 3, (4,)), ("diabetes", "regression", 0, (10,))])
def test_builtin_tables(name, task, classes, shape):
    ds = load_dataset(name)
    assert (ds.task, len(ds.class_names), ds.input_shape) == (task, classes, shape)
    s = ds.splits(seed=3)
    assert s.x_train.shape[1:] == shape and not np.isnan(s.x_train).any()


def test_image_folder_grayscale_and_colour(tmp_path):
    rng = np.random.default_rng(0)
    for cls, count in (("circle", 6), ("square", 4)):
        (tmp_path / cls).mkdir()
        for i in range(count):
            ext = ("png", "jpg", "bmp")[i % 3]
            Image.fromarray(rng.integers(0, 256, (40, 30, 3), dtype=np.uint8)).save(
                tmp_path / cls / f"{i}.{ext}")
    gray = load_dataset(tmp_path, size=20)
    assert gray.class_names == ["circle", "square"] and gray.task == "binary"
    assert gray.input_shape == (20, 20, 1) and gray.class_counts().tolist() == [6, 4]
    colour = load_dataset(tmp_path, size=(16, 24), color="rgb")
    assert colour.input_shape == (16, 24, 3)
    s = colour.splits(validation=0.2, test=0.0)
    assert s.x_train.shape[1:] == (16, 24, 3) and s.x_train.max() <= 1.0


def test_large_compressed_arrays_stream_in_the_background(tmp_path):
    from desktop_dl.core.datasets.streamed_array import StreamedArray

    x, y = _digits(7000, seed=5)                       # 5.5 MB of pixels: streamed
    np.savez_compressed(tmp_path / "mnist.npz", x_train=x[:6000], y_train=y[:6000],
                        x_test=x[6000:], y_test=y[6000:])
    ds = load_dataset(tmp_path / "mnist.npz")
    assert isinstance(ds.x, StreamedArray)
    assert np.array_equal(ds.raw_sample(3), x[3])
    assert np.array_equal(ds.raw_sample(6500), x[6500])
    assert np.array_equal(np.asarray(ds.x), x[:6000])
    s = ds.splits(validation=0.1)
    assert s.x_train.shape == (5400, 28, 28, 1)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", x)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", y)
    idx = load_dataset(tmp_path / "train-images-idx3-ubyte.gz")
    assert isinstance(idx.x, StreamedArray) and np.array_equal(idx.raw_sample(6999), x[6999])


def test_identifier_like_text_columns_are_left_out_with_a_warning(tmp_path):
    rows = ["passenger,name,age,survived"] + [f"{i},Person number {i},{20 + i % 50},{i % 2}"
                                              for i in range(200)]
    (tmp_path / "ship.csv").write_text("\n".join(rows))
    ds = load_dataset(tmp_path / "ship.csv", target="survived")
    assert ds.input_shape == (2,)                        # passenger and age; name left out
    assert any("name (200 values)" in w for w in ds.warnings)


def test_fashion_mnist_folder_keeps_its_class_names_when_read_again(tmp_path):
    from desktop_dl.core.datasets.keras_files import load_keras_file

    x, y = _digits(60)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", x)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", y)
    ds = load_keras_file("fashion_mnist", tmp_path)
    assert ds.class_names[9] == "Ankle boot" and "digit_normalisation" not in ds.preprocessing
    again = load_dataset(tmp_path, **ds.options)
    assert again.class_names == ds.class_names and again.name == "fashion-mnist"


def test_a_small_digit_file_keeps_ten_classes(tmp_path):
    x, _ = _digits(6)
    np.savez_compressed(tmp_path / "my-digits-copy.npz", x=x, y=np.array([1, 2, 1, 2, 3, 3], np.uint8))
    ds = load_dataset(tmp_path / "my-digits-copy.npz")
    assert ds.class_names == [str(d) for d in range(10)]
    assert ds.preprocessing["digit_normalisation"] == "mnist"
