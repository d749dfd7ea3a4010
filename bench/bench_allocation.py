"""Benchmark the peer-review allocator; prints times and their ratio to the budgets.

    .venv/bin/python bench/bench_allocation.py [--people 100000] [--reviews 3]

Budgets: a valid allocation with hard rules and spread for 100,000 participants and K = 3 in
under 1 s of allocation time and under 10 s for the whole command; 1,000 well within a web
request (we take 0.2 s). Attributes are skewed (Zipf-like), with some empty values, so the
group graph is realistic rather than uniform: 25 communities (not-same), 8 teams, 60
countries (spread). Times are the best of three; the machine's load shows in them.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

from cohortkit.reviews.allocation import Rules, allocate_reviewers
from cohortkit.reviews.allocation_io import parse_cohort_csv
from cohortkit.reviews.management.commands.assign_reviewers import allocation_to_json

ROOT = Path(__file__).resolve().parent.parent


def skewed(rng: random.Random, prefix: str, n_values: int, empty: float) -> str:
    if rng.random() < empty:
        return ""
    weights = [1 / (i + 1) for i in range(n_values)]
    return f"{prefix}{rng.choices(range(n_values), weights)[0]}"


def cohort_csv(people: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = ["id,community,team,country"]
    for i in range(people):
        community = skewed(rng, "c", 25, 0.05)
        team = skewed(rng, "t", 8, 0.3)
        country = skewed(rng, "", 60, 0.02)
        lines.append(f"u{i:06d},{community},{team},{country}")
    return "\n".join(lines) + "\n"


def check(allocation_pairs: list[tuple[str, str]], people: int, k: int) -> None:
    assert len(set(allocation_pairs)) == len(allocation_pairs) == people * k
    assert set(Counter(r for r, _ in allocation_pairs).values()) == {k}
    assert set(Counter(a for _, a in allocation_pairs).values()) == {k}


def best_of(repeats: int, fn: object) -> float:
    assert callable(fn)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=3)
    parser.add_argument(
        "--heavy",
        action="store_true",
        help="also time two not-same columns with spread (hub arcs grow as groups x classes)",
    )
    args = parser.parse_args()
    k = args.reviews
    rules = Rules(k, ("community",), "country")
    two_columns = Rules(k, ("community", "team"))

    text = cohort_csv(args.people)
    parse_s = best_of(3, lambda: parse_cohort_csv(text))
    cohort = parse_cohort_csv(text)
    alloc_s = best_of(3, lambda: allocate_reviewers(cohort, rules))
    allocation = allocate_reviewers(cohort, rules)
    json_s = best_of(3, lambda: allocation_to_json(allocation))
    check(allocation.pairs(), args.people, k)
    two_s = best_of(3, lambda: allocate_reviewers(cohort, two_columns))
    print(f"{args.people} people, K={k}, not-same community, spread country")
    print(f"  parse CSV        {parse_s:7.3f} s")
    print(f"  allocate         {alloc_s:7.3f} s  ratio to 1 s budget: {alloc_s / 1.0:.2f}")
    print(f"  allocate         {two_s:7.3f} s  (not-same community and team, no spread)")
    if args.heavy:
        heavy = Rules(k, ("community", "team"), "country")
        heavy_s = best_of(1, lambda: allocate_reviewers(cohort, heavy))
        print(f"  allocate         {heavy_s:7.3f} s  (not-same community and team, spread country)")
    print(f"  JSON output      {json_s:7.3f} s")
    print(
        f"  spread           {allocation.spread_total} of bound {allocation.spread_bound} "
        f"({allocation.spread_total / max(allocation.spread_bound, 1):.4f})"
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "participants.csv"
        path.write_text(text, encoding="utf-8")
        command = [
            str(ROOT / ".venv" / "bin" / "cohortkit"),
            "assign-reviewers",
            str(path),
            "--reviews",
            str(k),
            "--not-same",
            "community",
            "--spread",
            "country",
            "--json",
        ]
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(  # noqa: S603 -- our own console script with fixed arguments
            command, capture_output=True, check=True, cwd=ROOT, env={**os.environ}
        )
        whole_s = time.perf_counter() - start
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_s = (cpu_after.ru_utime - cpu_before.ru_utime) + (
            cpu_after.ru_stime - cpu_before.ru_stime
        )
    assert done.stdout.startswith(b'{"assignments": [')
    print(f"  whole command    {whole_s:7.3f} s  ratio to 10 s budget: {whole_s / 10.0:.2f}")
    print(f"  whole command    {cpu_s:7.3f} s of CPU (wall time above includes waiting for CPU)")
    print(f"  load average     {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    web = parse_cohort_csv(cohort_csv(1000, seed=11))
    web_s = best_of(5, lambda: allocate_reviewers(web, rules))
    print(f"1000 people, same rules: allocate {web_s:.3f} s  ratio to 0.2 s: {web_s / 0.2:.2f}")


if __name__ == "__main__":
    main()
