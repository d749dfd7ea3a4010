from typing import Any

from django.core.management.base import BaseCommand

from cohortkit.courses.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from cohortkit.courses.models import Course


class Command(BaseCommand):
    help = "Load the reference course with fictional people (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any course exists already."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Course.objects.exists():
            self.stdout.write("Courses exist already; the demo was not loaded again.")
        else:
            demo = load_demo()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo loaded: {demo.course.title} with runs {demo.completed_run.title}, "
                    f"{demo.current_run.title}, {demo.open_run.title}."
                )
            )
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for role, email in DEMO_LOGINS:
            self.stdout.write(f"  {role:32} {email}")
