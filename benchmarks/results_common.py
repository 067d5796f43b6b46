"""What benchmarks/results.py measures and benchmarks/results_report.py writes up: the datasets,
the readouts compared, and how a record's F1 and time are shown."""

from __future__ import annotations

from pathlib import Path

from samrank.evaluation import KS, f1_text

ROOT = Path(__file__).resolve().parents[1]
SWEEP = ("inspec", "semeval2010", "semeval2017")
EXTRA = ("semeval2010_fulltext", "krapivin", "500n_kpcrowd")
ABLATIONS = ("global", "proportional", "forward", "uniform")


def mean_f1(row: dict) -> float:
    return sum(row[f"f1@{k}"] for k in KS) / len(KS)


def took(record: dict) -> str:
    """Wall time of a run."""
    return f"{record['seconds']:.0f} s"


def f1s(record: dict) -> str:
    return f1_text(record[f"f1@{k}"] for k in KS)
