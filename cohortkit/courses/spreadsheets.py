"""CSV files that spreadsheets open safely: the one writer for every export.

Every export (applications, progress, attendance, reports, exercises, ...) writes through
`csv_response` (a download) or `write_csv` (a file or a stream), so each file:

- starts with a UTF-8 byte-order mark, so that Excel and LibreOffice read non-Latin names
  right instead of guessing a legacy encoding;
- quotes every cell, so that a `;` or `,` inside a cell never splits it in a spreadsheet set
  to the other separator;
- shows every text cell as text (OWASP's advice on CSV injection): a cell that begins like
  a formula, with = + - @ (or their full-width forms, U+FF1D, U+FF0B, U+FF0D, U+FF20), a
  tab, a carriage return, or with separators and spaces before one of those (`;=...`),
  gets a leading apostrophe.
  Numbers (int, float, Decimal) are written as they are.
"""

import csv
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from django.http import HttpResponse

BOM = "\ufeff"
_FORMULA = re.compile("^(?:[\t\r\n]|[\\s;,]*[=+\\-@\uff1d\uff0b\uff0d\uff20])")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: object) -> str:
    """`value` as a cell a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if _FORMULA.match(text) else text


def write_csv(out: _Writable, header: Sequence[object], rows: Iterable[Sequence[object]]) -> None:
    """The byte-order mark, `header` and `rows` as CSV into `out` (a text stream)."""
    out.write(BOM)
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])


def csv_response(
    filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """A CSV download named `filename` (write_csv's file, UTF-8, never cached)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    write_csv(response, header, rows)
    return response
