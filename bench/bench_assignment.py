"""Time the reviewer assignment: 10,000 applications, 200 reviewers, 2 reviews each.

Run with ``.venv/bin/python bench/bench_assignment.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cohortkit.applications.assignment import (
    ReviewApplication,
    Reviewer,
    assign_reviewers,
)

APPLICATIONS = 10_000
REVIEWERS = 200
COMMUNITIES = [""] + [f"community-{i}" for i in range(30)]


def main() -> None:
    rng = np.random.default_rng(5)
    reviewers = [
        Reviewer(f"person-{i}", COMMUNITIES[rng.integers(len(COMMUNITIES))])
        for i in range(REVIEWERS)
    ]
    # A tenth of the reviewers also apply (they must not review themselves).
    applications = [
        ReviewApplication(
            f"application-{i}",
            f"person-{i if i < REVIEWERS // 10 else REVIEWERS + i}",
            COMMUNITIES[rng.integers(len(COMMUNITIES))],
        )
        for i in range(APPLICATIONS)
    ]
    times = []
    for _ in range(3):
        started = time.perf_counter()
        assignment = assign_reviewers(applications, reviewers, per_application=2)
        times.append(time.perf_counter() - started)
    loads = assignment.loads.values()
    print(
        f"assignment {APPLICATIONS} applications {REVIEWERS} reviewers 2 each:"
        f" {min(times):.3f} s (loads {min(loads)}..{max(loads)},"
        f" balanced {assignment.is_balanced})"
    )


if __name__ == "__main__":
    main()
