"""Benchmark the session planner: ``python bench/bench_planner.py [--full]``.

Targets (ratios printed as measured / target): K <= 3 for 1,000 participants under 50 ms;
100,000 participants over 8 weeks: K = 2 under 0.5 s of planning, the whole command
(start-up, CSV reading, planning, JSON) under 5 s, K = 3 under 5 s.
"""

from __future__ import annotations

import argparse
import io
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from cohortkit.scheduling.availability import read_participants_csv
from cohortkit.scheduling.planner import plan_sessions

ZONES = [
    ("Europe/Berlin", 12), ("Europe/London", 8), ("America/New_York", 10),
    ("America/Chicago", 4), ("America/Los_Angeles", 6), ("America/Sao_Paulo", 5),
    ("America/Santiago", 2), ("America/Mexico_City", 3), ("Asia/Kolkata", 10),
    ("Asia/Kathmandu", 1), ("Asia/Tokyo", 3), ("Asia/Shanghai", 4), ("Asia/Jakarta", 3),
    ("Australia/Sydney", 3), ("Australia/Adelaide", 1), ("Australia/Eucla", 1),
    ("Pacific/Chatham", 1), ("Pacific/Auckland", 1), ("Africa/Lagos", 5),
    ("Africa/Nairobi", 3), ("Africa/Cairo", 2), ("Europe/Moscow", 2), ("Asia/Tehran", 1),
    ("Asia/Dubai", 2), ("Asia/Manila", 2), ("UTC", 1),
]  # fmt: skip
DAYS = ["daily", "Mon-Fri", "Mon-Fri", "Sat-Sun", "Sat", "Sun", "Mon-Thu", "Tue", "Wed"]


def availability_text(rng: random.Random) -> str:
    if rng.random() < 0.05:
        return ""
    ranges = []
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        start = rng.choice([6, 7, 8, 9, 12, 17, 18, 19, 20]) * 2 + rng.choice([0, 0, 1])
        length = rng.choice([2, 3, 4, 4, 6, 8])
        end = min(48, start + length)
        ranges.append(
            f"{rng.choice(DAYS)} {start // 2:02d}:{start % 2 * 30:02d}-{end // 2:02d}:{end % 2 * 30:02d}"
        )
    return "; ".join(ranges)


def cohort_csv(size: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    names, weights = zip(*ZONES, strict=True)
    lines = ["id,timezone,availability"]
    for index in range(size):
        zone = rng.choices(names, weights)[0]
        lines.append(f'p{index},{zone},"{availability_text(rng)}"')
    return "\n".join(lines) + "\n"


def timed(label: str, target: float, function, repeat: int = 3):  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - began)
    print(
        f"{label:<48} {best * 1000:9.1f} ms  target {target * 1000:7.0f} ms  ratio {best / target:5.2f}"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    options = parser.parse_args()
    run = {"start": date(2021, 2, 1), "weeks": 8, "duration_minutes": 60}

    small = read_participants_csv(io.StringIO(cohort_csv(1000)))
    for k in (1, 2, 3):
        plan = timed(
            f"1,000 participants, K={k}", 0.05, lambda k=k: plan_sessions(small, sessions=k, **run)
        )
        print(
            f"    covered {plan.covered} night {plan.night} times {[t.label for t in plan.times]}"
        )

    text = cohort_csv(options.size)
    big = timed(
        f"read {options.size:,} CSV rows", 5.0, lambda: read_participants_csv(io.StringIO(text)), 1
    )
    for k, target in ((1, 0.5), (2, 0.5), (3, 5.0)):
        plan = timed(
            f"{options.size:,} participants, K={k}",
            target,
            lambda k=k: plan_sessions(big, sessions=k, **run),
            1,
        )
        print(
            f"    covered {plan.covered} night {plan.night} times {[t.label for t in plan.times]}"
        )

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "participants.csv"
        path.write_text(text, encoding="utf-8")
        command = [sys.executable, "-m", "cohortkit", "plan-sessions", str(path), "--start",
                   "2021-02-01", "--weeks", "8", "--duration", "60", "--sessions", "2", "--json"]  # fmt: skip
        timed(f"command, {options.size:,} participants, K=2", 5.0,
              lambda: subprocess.run(command, check=True, capture_output=True), 1)  # noqa: S603 - fixed argv, our own command  # fmt: skip


if __name__ == "__main__":
    main()
