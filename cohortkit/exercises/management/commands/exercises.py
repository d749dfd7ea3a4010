"""`cohortkit exercises import|export`: question banks on the command line.

    cohortkit exercises import FILE --course COURSE --module N --format gift|aiken [--run RUN] [--title TITLE]
    cohortkit exercises export COURSE --format gift [--run RUN]

Both work on one run of the course: `--run` names it (its slug); by default the course's
latest run (by start date). Import adds the file's questions to module N's exercise (made
when the module has none). A file with any problem makes the command exit non-zero naming
the line, and nothing is imported. Export prints every exercise of the run, module by
module, as one GIFT file (a `$CATEGORY:` line per module).
"""

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Prefetch

from cohortkit.courses.models import Course, Module, Run
from cohortkit.exercises.gift import write_gift
from cohortkit.exercises.models import Choice, Exercise, Question
from cohortkit.exercises.services import FORMATS, ImportProblem, import_questions


class Command(BaseCommand):
    help = "Import GIFT or Aiken question files into a module's exercise; export as GIFT."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        imported = commands.add_parser("import", help="Add a file's questions to a module.")
        imported.add_argument("file", type=argparse.FileType("rb"), help="path, or - for stdin")
        imported.add_argument("--course", required=True, help="course slug")
        imported.add_argument("--module", required=True, type=int, help="module position, 1…")
        imported.add_argument("--format", choices=FORMATS, required=True, dest="file_format")
        imported.add_argument("--run", default="", help="run slug (default: the latest run)")
        imported.add_argument("--title", default="", help="title of an exercise made anew")
        export = commands.add_parser("export", help="Print a run's exercises as GIFT.")
        export.add_argument("course", help="course slug")
        export.add_argument("--format", choices=["gift"], required=True, dest="file_format")
        export.add_argument("--run", default="", help="run slug (default: the latest run)")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["course"]
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(f"No course with the slug “{slug}”.")
        runs = course.runs.order_by("-starts_on", "-pk")
        run = runs.filter(slug=options["run"]).first() if options["run"] else runs.first()
        if run is None:
            raise CommandError(f"The course “{slug}” has no run “{options['run']}”.")
        if options["action"] == "import":
            self._import(run, options)
        else:
            self._export(run)

    def _import(self, run: Run, options: dict[str, Any]) -> None:
        module = Module.objects.filter(run=run, position=options["module"]).first()
        if module is None:
            raise CommandError(f"Run “{run.slug}” has no module {options['module']}.")
        with options["file"] as handle:
            data = handle.read()
        name = Path(getattr(options["file"], "name", "-")).name
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(f"{name}: not UTF-8 text. Nothing was imported.") from error
        try:
            exercise, questions = import_questions(
                module, text=text, file_format=options["file_format"], title=options["title"]
            )
        except ImportProblem as problem:
            raise CommandError(f"{name}: {problem} Nothing was imported.") from problem
        self.stdout.write(
            f"{len(questions)} questions imported into “{exercise.title}” "
            f"(run {run.slug}, module {module.position})."
        )

    def _export(self, run: Run) -> None:
        exercises = (
            Exercise.objects.filter(run=run)
            .select_related("module")
            .order_by("module__position", "pk")
            .prefetch_related(
                Prefetch(
                    "questions",
                    queryset=Question.objects.order_by("position").prefetch_related(
                        Prefetch("choices", queryset=Choice.objects.order_by("position"))
                    ),
                )
            )
        )
        parts = [f"// {run.course.title} ({run.title}): exercises exported by cohortkit"]
        for exercise in exercises:
            parts.append(
                f"\n// Module {exercise.module.position}: {exercise.title}\n"
                f"$CATEGORY: $course$/{run.course.slug}/module-{exercise.module.position}\n"
            )
            parts.append(write_gift([q.as_data() for q in exercise.questions.all()]))
        self.stdout.write("\n".join(parts), ending="")
