"""Data sets: built-in (offline), ``csv:PATH``, ``tfds:NAME``, and CSV streaming."""

from nda_models.data.csv_statistics import csv_normalization
from nda_models.data.dataset import Dataset
from nda_models.data.load import load_dataset
from nda_models.data.registry import (
    DatasetSpec,
    dataset_spec,
    describe_dataset,
    list_datasets,
    register_dataset,
)
from nda_models.data.streaming import stream_csv

__all__ = [
    "Dataset",
    "DatasetSpec",
    "csv_normalization",
    "dataset_spec",
    "describe_dataset",
    "list_datasets",
    "load_dataset",
    "register_dataset",
    "stream_csv",
]
