"""Datasets and importers (plain Python + numpy + Pillow; no Qt, no TensorFlow).

    from desktop_dl.core.datasets import load_dataset
    splits = load_dataset("mnist-5k").splits(validation=0.1, test=0.1, seed=0)
"""
from desktop_dl.core.datasets.dataset import Dataset, ImageDataset, SequenceDataset
from desktop_dl.core.datasets.registry import list_builtin, load_dataset
from desktop_dl.core.datasets.splits import Splits

__all__ = ["Dataset", "ImageDataset", "SequenceDataset", "Splits", "list_builtin", "load_dataset"]
