"""``assign-reviewers PARTICIPANTS.csv --reviews K [--not-same COLUMN]... [--spread COLUMN]
--json``: the peer-review allocator on a participants CSV.

The CSV has a header with ``id`` and attribute columns. Everybody is author and reviewer:
each participant's work gets exactly K reviewers among the others and each participant
reviews exactly K. ``--not-same`` columns (repeatable, most important first) are hard rules;
an empty value shares with nobody. ``--spread`` maximises, summed over authors, the distinct
values of that column among each author's reviewers.

With ``--json`` it prints exactly one line::

    {"assignments": [{"reviewer": id, "author": id}, ...]}

ids as strings from the CSV, ordered by the reviewer's CSV row, then the author's. When no
allocation exists the command fails (non-zero exit) with a message naming the blocking rule
and prints no assignment; so it does for a missing file, a missing ``id`` column, duplicate
ids and unknown column names.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cohortkit.reviews.allocation import (
    Allocation,
    AllocationInfeasible,
    CohortError,
    Rules,
    RulesError,
    allocate_reviewers,
)
from cohortkit.reviews.allocation_io import read_cohort_csv


def allocation_to_json(allocation: Allocation) -> str:
    """The ``--json`` output (other tools parse it: keep the keys and their order).

    Byte-for-byte what ``json.dumps({"assignments": [{"reviewer": ..., "author": ...}]})``
    gives, written directly: each id is encoded once, not once per pair (100,000 people
    make 300,000 pairs at K = 3).
    """
    encoded = [json.dumps(pid) for pid in allocation.cohort.ids]
    pairs = ", ".join(
        f'{{"reviewer": {encoded[r]}, "author": {encoded[a]}}}'
        for r, a in zip(
            allocation.reviewer_index.tolist(), allocation.author_index.tolist(), strict=True
        )
    )
    return f'{{"assignments": [{pairs}]}}'


class Command(BaseCommand):
    help = "Assign every participant K peer reviewers, and K works to review, under the rules."
    # A pure computation on a file: the project's system checks (over a second of start-up)
    # guard nothing it uses; CI and deployment run them with ``check``.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("participants", help="CSV with an id column and attribute columns")
        parser.add_argument("--reviews", required=True, type=int, help="K, reviews per person")
        parser.add_argument(
            "--not-same",
            action="append",
            default=[],
            dest="not_same",
            metavar="COLUMN",
            help="no reviewer shares this column's value with the author (repeatable)",
        )
        parser.add_argument(
            "--spread", metavar="COLUMN", help="spread each author's reviewers over this column"
        )
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["participants"]
        try:
            cohort = read_cohort_csv(path)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
        except (CohortError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        rules = Rules(
            reviews=options["reviews"],
            not_same=tuple(options["not_same"] or ()),
            spread=options["spread"],
        )
        try:
            allocation = allocate_reviewers(cohort, rules)
        except RulesError as exc:
            raise CommandError(str(exc)) from exc
        except AllocationInfeasible as exc:
            raise CommandError(f"impossible: {exc.message}") from exc
        if options["as_json"]:
            self.stdout.write(allocation_to_json(allocation))
            return
        self.stdout.write(f"{len(allocation)} reviews for {len(cohort)} participants")
        if rules.spread is not None:
            self.stdout.write(
                f"spread over {rules.spread}: {allocation.spread_total} of at most "
                f"{allocation.spread_bound} distinct values summed over authors"
            )
        for reviewer, author in allocation.pairs():
            self.stdout.write(f"  {reviewer} reviews {author}")
