"""`cohortkit translations export|import|sync`: translation files on the command line.

    cohortkit translations export COURSE --language LANG --format po|xliff|bundle [--source LANG]
    cohortkit translations import FILE --course COURSE --language LANG [--format F] [--force]
    cohortkit translations sync COURSE

A file that cannot be read, or whose translations fail the markup checks, makes the
command exit non-zero with a message, and nothing changes.
"""

import argparse
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from cohortkit.courses.models import Course
from cohortkit.translations.exchange import (
    FORMATS,
    FileProblem,
    ImportRejected,
    export_file,
    import_translations,
    parse_file,
)
from cohortkit.translations.models import validate_language
from cohortkit.translations.services import start_language, sync_units


class Command(BaseCommand):
    help = "Export, import and synchronise a course's translation units."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        export = commands.add_parser("export", help="Print the file to stdout.")
        export.add_argument("course", help="course slug, e.g. partnership-building")
        export.add_argument("--language", required=True)
        export.add_argument("--format", choices=FORMATS, default="po", dest="file_format")
        export.add_argument("--source", default="", help="pivot language (default: the course's)")
        imported = commands.add_parser("import", help="Read a translated file back.")
        imported.add_argument("file", type=argparse.FileType("rb"), help="path, or - for stdin")
        imported.add_argument("--course", required=True)
        imported.add_argument("--language", required=True)
        imported.add_argument("--format", choices=FORMATS, default="", dest="file_format")
        imported.add_argument("--source", default="", help="the pivot language the file used")
        imported.add_argument(
            "--force", action="store_true", help="replace reviewed translations that differ"
        )
        sync = commands.add_parser("sync", help="Extract the course's current units.")
        sync.add_argument("course")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options.get("course")
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(f"No course with the slug “{slug}”.")
        for name in ("language", "source"):
            if options.get(name):
                try:
                    validate_language(options[name])
                except ValidationError as error:
                    raise CommandError(" ".join(error.messages)) from error
        action = options["action"]
        if action == "sync":
            report = sync_units(course)
            self.stdout.write(
                f"{len(report.created)} new, {len(report.changed)} changed, "
                f"{len(report.removed)} removed units; {report.outdated} translations outdated."
            )
        elif action == "export":
            sync_units(course)
            try:
                text = export_file(
                    course,
                    language=options["language"],
                    file_format=options["file_format"],
                    source=options["source"],
                )
            except FileProblem as error:
                raise CommandError(str(error)) from error
            self.stdout.write(text, ending="")
        else:
            self._import(course, options)

    def _import(self, course: Course, options: dict[str, Any]) -> None:
        language = options["language"]
        if language == course.language:
            raise CommandError(f"{language} is the course's source language.")
        with options["file"] as handle:
            data = handle.read()
        name = getattr(options["file"], "name", "-")
        try:
            entries = parse_file(data, language=language, file_format=options["file_format"])
            with transaction.atomic():
                sync_units(course)
                start_language(course, language=language)
                report = import_translations(
                    course,
                    language=language,
                    entries=entries,
                    by=None,
                    at=timezone.now(),
                    force=options["force"],
                    source=options["source"],
                )
        except FileProblem as error:
            raise CommandError(f"{Path(name).name}: {error} Nothing was imported.") from error
        except ImportRejected as error:
            raise CommandError(
                f"{Path(name).name}: nothing was imported; fix these first:\n"
                + "\n".join(error.problems)
            ) from error
        self.stdout.write(
            f"{len(report.created)} new, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped."
        )
        for key, reason in report.skipped:
            sys.stderr.write(f"skipped {key}: {reason}\n")
