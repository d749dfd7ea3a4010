"""`cohortkit certificates list [--json]`: every certificate with its verification address."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cohortkit.learning.certificates import absolute, pdf_path, verification_path
from cohortkit.learning.models import Certificate


def certificate_rows(*, include_revoked: bool = False) -> list[dict[str, str]]:
    certificates = Certificate.objects.select_related("run__course").order_by("issued_at", "pk")
    if not include_revoked:
        certificates = certificates.filter(revoked_at__isnull=True)
    return [
        {
            "code": c.code,
            "name": c.name,
            "course": c.run.course.title,
            "url": absolute(verification_path(c)),
            "pdf": absolute(pdf_path(c)),
        }
        for c in certificates
    ]


class Command(BaseCommand):
    help = "Certificates: `list` prints each valid one (code, name, course, url, pdf)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        listing = commands.add_parser("list", help="List valid certificates.")
        listing.add_argument("--json", action="store_true", help="One JSON array on stdout.")
        listing.add_argument("--revoked", action="store_true", help="Include revoked ones.")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = certificate_rows(include_revoked=options["revoked"])
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['code']}  {row['name']}  {row['course']}  {row['url']}")
