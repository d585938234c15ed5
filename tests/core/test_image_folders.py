"""Image folders as people bring them: transparent PNGs, Mac zip litter, zips, bad files."""
import os
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop_dl.core.datasets import load_dataset
from desktop_dl.core.digit_preprocess import load_digit_image
from desktop_dl.core.errors import DatasetError

FIELD = Path(__file__).resolve().parent.parent / "data" / "field"


def _folder(root: Path, classes=("cat", "dog"), count=3, size=(12, 12)):
    for k, cls in enumerate(classes):
        (root / cls).mkdir(parents=True, exist_ok=True)
        for i in range(count):
            pixels = np.full(size, 30 + 60 * k, np.uint8)
            pixels[2:5, 2 + i:5 + i] = 250
            Image.fromarray(pixels).save(root / cls / f"{i}.png")
    return root


@pytest.mark.parametrize("folder", ["shapes", "shapes_la"])
def test_field_06_transparent_shapes_are_dark_on_white(folder):
    root = FIELD / "06-rgba-transparent-folder" / folder
    ds = load_dataset(root, size=28)
    x = ds.raw_images(np.arange(len(ds)))
    assert x.min() == 0 and x.max() == 255
    assert (x[:, 0, 0] == 255).all()                   # the transparent corner is white paper
    assert "transparency is the ink" in " ".join(ds.notes)
    # predict reads the same file the same way: ink where the shape is.
    first = sorted((root / ds.class_names[0]).iterdir())[0]
    digit = load_digit_image(first)
    assert digit.max() == pytest.approx(1.0) and digit[0, 0] == 0.0


def test_field_09_mac_zip_litter_is_ignored():
    ds = load_dataset(FIELD / "09-macosx-phantom-class" / "pets")
    assert ds.class_names == ["cat", "dog"] and ds.class_counts().tolist() == [5, 5]
    notes = " ".join(ds.notes)
    assert "__MACOSX/" in notes and ".DS_Store" in notes and "'._' files" in notes
    assert not ds.warnings


def test_field_09_as_a_zip_made_on_a_mac(tmp_path):
    source = FIELD / "09-macosx-phantom-class" / "pets"
    with zipfile.ZipFile(tmp_path / "pets.zip", "w") as z:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                z.write(path, "pets/" + path.relative_to(source).as_posix())
    ds = load_dataset(tmp_path / "pets.zip", size=16)
    assert ds.class_names == ["cat", "dog"] and len(ds) == 10
    assert "'pets' inside 'pets.zip'" in " ".join(ds.notes)


@pytest.mark.parametrize("litter", ["__MACOSX/cat/._0.png", "cat/._0.png", "cat/.DS_Store",
                                    "cat/Thumbs.db", "cat/desktop.ini", ".hidden/0.png",
                                    ".DS_Store", "dog/.thumbnails/0.png"])
def test_every_litter_name_is_ignored_and_named(tmp_path, litter):
    root = _folder(tmp_path / "pets")
    target = root / litter
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"\x00\x05\x16\x07 AppleDouble or other metadata")
    ds = load_dataset(root, size=8)
    assert ds.class_names == ["cat", "dog"] and len(ds) == 6 and not ds.warnings
    assert "Ignored what file managers" in " ".join(ds.notes)


def test_subfolder_without_pictures_is_not_a_class(tmp_path):
    root = _folder(tmp_path / "pets")
    (root / "notes").mkdir()
    (root / "notes" / "readme.txt").write_text("hi")
    ds = load_dataset(root, size=8)
    assert ds.class_names == ["cat", "dog"]
    assert "'notes' have no readable pictures" in " ".join(ds.notes)


def test_one_bad_file_is_skipped_and_named(tmp_path):
    root = _folder(tmp_path / "pets")
    (root / "cat" / "evil.png").write_bytes(b"%!PS-Adobe-3.0\nshowpage\n")
    (root / "dog" / "cut.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    ds = load_dataset(root, size=8)
    assert len(ds) == 6
    text = " ".join(ds.warnings)
    assert "cat/evil.png (a PostScript file)" in text and "dog/cut.jpg" in text


def test_links_out_of_the_folder_are_not_followed(tmp_path):
    root = _folder(tmp_path / "pets")
    outside = _folder(tmp_path / "elsewhere", classes=("secret",))
    os.symlink(outside / "secret", root / "secret")
    os.symlink(outside / "secret" / "0.png", root / "cat" / "linked.png")
    ds = load_dataset(root, size=8)
    assert ds.class_names == ["cat", "dog"] and len(ds) == 6
    assert "not followed: cat/linked.png, secret" in " ".join(ds.notes)


def test_blank_pictures_and_size_differences_are_warned(tmp_path):
    root = _folder(tmp_path / "pets", classes=("cat",), size=(12, 12))
    _folder(root, classes=("dog",), size=(30, 20))
    Image.fromarray(np.zeros((12, 12), np.uint8)).save(root / "cat" / "empty.png")
    ds = load_dataset(root, size=8)
    text = " ".join(ds.warnings)
    assert "1 picture(s) are blank" in text and "cat/empty.png" in text
    assert "differ in size (cat: mostly 12×12; dog: mostly 30×20)" in text


def test_mode_differences_are_warned(tmp_path):
    root = _folder(tmp_path / "pets", classes=("cat",))
    (root / "dog").mkdir()
    for i in range(3):
        Image.fromarray(np.full((12, 12, 3), 40 * i, np.uint8)).save(root / "dog" / f"{i}.png")
    ds = load_dataset(root, size=8, color="rgb")
    assert "differ in mode (cat: mostly L; dog: mostly RGB)" in " ".join(ds.warnings)


def test_zip_bomb_member_is_refused_as_unsafe(tmp_path):
    root = _folder(tmp_path / "pets")
    with zipfile.ZipFile(tmp_path / "p.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(root.rglob("*.png")):
            z.write(path, path.relative_to(root).as_posix())
        z.writestr("cat/bomb.png", b"\x00" * (8 << 20))
    ds = load_dataset(tmp_path / "p.zip", size=8)
    assert len(ds) == 6 and "cat/bomb.png (unsafe or too large)" in " ".join(ds.warnings)


def test_damaged_zip_is_a_user_error(tmp_path):
    (tmp_path / "p.zip").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(DatasetError, match="not a complete zip"):
        load_dataset(tmp_path / "p.zip")


def test_pictures_in_folders_inside_a_class_belong_to_it(tmp_path):
    root = _folder(tmp_path / "pets")
    (root / "cat" / "2024" / ".thumbs").mkdir(parents=True)
    Image.fromarray(np.full((12, 12), 99, np.uint8)).save(root / "cat" / "2024" / "x.png")
    Image.fromarray(np.full((12, 12), 99, np.uint8)).save(root / "cat" / "2024" / ".thumbs" / "t.png")
    ds = load_dataset(root, size=8)
    assert ds.class_counts().tolist() == [4, 3] and ds.class_names == ["cat", "dog"]


def test_a_link_loop_inside_the_folder_is_read_once(tmp_path):
    root = _folder(tmp_path / "pets")
    os.symlink(root / "cat", root / "cat" / "again")
    ds = load_dataset(root, size=8)
    assert ds.class_counts().tolist() == [3, 3]
