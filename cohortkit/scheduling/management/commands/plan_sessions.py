"""``plan-sessions PARTICIPANTS.csv --start DATE --weeks N --duration MINUTES [--sessions K]
[--anchor ZONE] --json``: the exact session planner on a participants CSV.

With ``--json`` it prints exactly one line::

    {"participants": n, "covered": c,
     "sessions": [{"weekday": "Mon", "time": "HH:MM", "timezone": ZONE}, ...],
     "assignment": {id: session index or null}}

(ZONE is the anchor zone; ids in CSV order.) A bad CSV line (unknown zone, malformed range,
off-grid time, empty or repeated id) stops the command with an error naming the CSV line and
id, and prints no plan.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cohortkit.scheduling.availability import (
    WEEKDAYS,
    ParticipantCsvError,
    UnknownTimezoneError,
    get_zone,
    read_participants_csv,
)
from cohortkit.scheduling.planner import Plan, plan_sessions


def plan_to_json(plan: Plan) -> str:
    """The ``--json`` output (other tools parse it: keep the keys and their order)."""
    return json.dumps(
        {
            "participants": plan.participants,
            "covered": plan.covered,
            "sessions": [
                {"weekday": WEEKDAYS[time.weekday], "time": time.clock, "timezone": plan.anchor}
                for time in plan.times
            ],
            "assignment": plan.assignment,
        }
    )


class Command(BaseCommand):
    help = "Choose weekly session times that the most participants can attend every week."
    # A pure computation on a file: the project's system checks (over a second of start-up)
    # guard nothing it uses; CI and deployment run them with ``check``.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("participants", help="CSV with the columns id,timezone,availability")
        parser.add_argument("--start", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--weeks", required=True, type=int)
        parser.add_argument("--duration", required=True, type=int, help="minutes")
        parser.add_argument("--sessions", type=int, default=1, help="weekly times (default 1)")
        parser.add_argument("--anchor", default="UTC", help="IANA zone of the session times")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            get_zone(options["anchor"])
        except UnknownTimezoneError as exc:
            raise CommandError(f"--anchor: {exc}") from exc
        try:
            with open(options["participants"], encoding="utf-8-sig", newline="") as handle:
                participants = read_participants_csv(handle)
        except OSError as exc:
            raise CommandError(f"cannot read {options['participants']}: {exc}") from exc
        except ParticipantCsvError as exc:
            raise CommandError(f"{options['participants']}, {exc}") from exc
        try:
            plan = plan_sessions(
                participants,
                start=options["start"],
                weeks=options["weeks"],
                duration_minutes=options["duration"],
                sessions=options["sessions"],
                anchor=options["anchor"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["as_json"]:
            self.stdout.write(plan_to_json(plan))
            return
        self.stdout.write(f"{plan.covered} of {plan.participants} participants covered")
        for index, time in enumerate(plan.times):
            attending = sum(1 for slot in plan.assignment.values() if slot == index)
            self.stdout.write(f"  {time.label} {plan.anchor}: {attending} assigned")
        for participant_id, reason in plan.uncovered.items():
            self.stdout.write(f"  not covered: {participant_id}: {reason.message}")
