"""Time the applicant selector: 100,000 applicants, 5,000 seats, 8 quotas.

Run with ``.venv/bin/python bench/bench_selection.py``. Prints the solver time (the
selector on an in-memory table) and the whole command path (read the CSV, select, JSON).
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cohortkit.applications.selection import (
    ApplicantTable,
    Quota,
    select_applicants,
)
from cohortkit.applications.selection_io import (
    check_quota_columns,
    read_applications_csv,
    selection_json,
)

APPLICANTS = 100_000
SEATS = 5_000
REGIONS = ["Africa", "Asia", "Europe", "LatinAmerica", "NorthAmerica", "Oceania"]
REGION_WEIGHTS = [0.12, 0.3, 0.28, 0.12, 0.14, 0.04]
LANGUAGES = ["en", "es", "fr", "pt", "ar", "zh", "hi"]
EXPERIENCE = ["beginner", "intermediate", "advanced"]
GENDERS = ["woman", "man", "nonbinary", ""]

QUOTAS = [
    Quota("at_least", "region", "Africa", 600),
    Quota("at_least", "region", "LatinAmerica", 500),
    Quota("at_most", "region", "Europe", 1200),
    Quota("at_most", "region", "NorthAmerica", 800),
    Quota("at_least", "experience", "beginner", 1500),
    Quota("at_least", "gender", "woman", 2200),
    Quota("at_least", "gender", "nonbinary", 150),
    Quota("at_least", "languages", "es", 700),
]


def applicants_csv(path: Path, rng: np.random.Generator) -> None:
    region = rng.choice(len(REGIONS), APPLICANTS, p=REGION_WEIGHTS)
    experience = rng.choice(len(EXPERIENCE), APPLICANTS, p=[0.3, 0.5, 0.2])
    gender = rng.choice(len(GENDERS), APPLICANTS, p=[0.38, 0.52, 0.03, 0.07])
    # Rubric averages of a few reviewers: many exact ties, as in real data.
    score = np.round(rng.normal(3.0, 0.7, APPLICANTS) * 4) / 4 + experience * 0.25
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "score", "region", "languages", "experience", "gender"])
        for i in range(APPLICANTS):
            spoken = rng.choice(len(LANGUAGES), rng.integers(1, 4), replace=False)
            writer.writerow(
                [
                    f"app-{i:06d}",
                    f"{score[i]:.2f}",
                    REGIONS[region[i]],
                    ";".join(LANGUAGES[j] for j in sorted(spoken)),
                    EXPERIENCE[experience[i]],
                    GENDERS[gender[i]],
                ]
            )


def best_of(runs: int, action: object) -> float:
    assert callable(action)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(2024)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "applications.csv"
        applicants_csv(path, rng)
        table: ApplicantTable = read_applications_csv(path)
        selection = select_applicants(table, seats=SEATS, quotas=QUOTAS, seed=7)
        solver = best_of(5, lambda: select_applicants(table, seats=SEATS, quotas=QUOTAS, seed=7))

        def whole() -> None:
            read = read_applications_csv(path)
            check_quota_columns(QUOTAS, read)
            selection_json(select_applicants(read, seats=SEATS, quotas=QUOTAS, seed=7))

        whole_time = best_of(3, whole)
    print(
        f"selection {APPLICANTS} applicants {SEATS} seats {len(QUOTAS)} quotas:"
        f" solver {solver:.3f} s, whole {whole_time:.3f} s"
        f" (selected {len(selection.selected)}, total score {selection.total_score:.2f})"
    )


if __name__ == "__main__":
    main()
