"""``cohortkit select-applicants APPLICATIONS.csv --seats N [--at-least ...] [--at-most ...] --json``."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cohortkit.applications.selection import SelectionError, select_applicants
from cohortkit.applications.selection_io import (
    check_quota_columns,
    parse_quota,
    read_applications_csv,
    selection_json,
)


class Command(BaseCommand):
    help = (
        "Choose applicants for the seats, keeping every quota: the most applicants, then the "
        "highest total score; exact ties go by a seeded lottery. The rest form the waitlist."
    )
    # A pure computation on a file: the project's system checks (over a second of start-up)
    # guard nothing it uses; CI and deployment run them with ``check``.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "applications",
            metavar="APPLICATIONS.csv",
            help="CSV with a header naming id, score and any attribute columns; "
            "several answers in one cell are separated by ';'",
        )
        parser.add_argument("--seats", type=int, required=True, metavar="N")
        parser.add_argument(
            "--at-least",
            action="append",
            default=[],
            metavar="COLUMN=VALUE:COUNT",
            help="at least COUNT selected applicants with VALUE in COLUMN (repeatable)",
        )
        parser.add_argument(
            "--at-most",
            action="append",
            default=[],
            metavar="COLUMN=VALUE:COUNT",
            help="at most COUNT selected applicants with VALUE in COLUMN (repeatable)",
        )
        parser.add_argument("--seed", type=int, default=0, help="seed of the tie lottery")
        parser.add_argument(
            "--json",
            action="store_true",
            help='print one JSON object {"selected": [...], "waitlist": [...], "total_score": ...}',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seats"] < 0:
            raise CommandError("--seats must not be negative")
        try:
            quotas = [parse_quota("at_least", spec) for spec in options["at_least"]]
            quotas += [parse_quota("at_most", spec) for spec in options["at_most"]]
            table = read_applications_csv(options["applications"])
            check_quota_columns(quotas, table)
            selection = select_applicants(
                table, seats=options["seats"], quotas=quotas, seed=options["seed"]
            )
        except SelectionError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(selection_json(selection))
            return
        self.stdout.write(
            f"selected {len(selection.selected)} of {len(selection.reasons)}, "
            f"total score {selection.total_score:g}, lottery seed {selection.seed}"
        )
        for heading, ids in (("selected", selection.selected), ("waitlist", selection.waitlist)):
            self.stdout.write(f"{heading}:")
            for position, applicant_id in enumerate(ids, start=1):
                self.stdout.write(
                    f"  {position:>5}  {applicant_id}  {selection.reasons[applicant_id]}"
                )
