"""The one CSV writer: a byte-order mark, every cell quoted, formulas shown as text."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from cohortkit.courses.spreadsheets import csv_response, safe_cell, write_csv
from tests.factories import RunFactory, UserFactory
from tests.factories.applications import ApplicationFactory
from tests.payloads import naughty_strings

# How a cell may begin and still be a formula in Excel, LibreOffice or Google Sheets,
# also once a spreadsheet set to `;` or `,` as separator has split at the other one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
HOSTILE = [
    "=HYPERLINK(\"https://evil.example\", \"click\")", "+1+cmd|' /C calc'!A0", "-2+3",
    "@SUM(A1:A9)", "\t=1", "\r=1", ";=1+1", " ;, =1", ",@x", "\uff1d1+1", "\uff0bcmd",
    "\uff0d1", "\uff20SUM(A1)", "Ana María", "Zoë; =oops", "محمد", "李雷", "",
]  # fmt: skip


def looks_like_formula(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) or cell.lstrip(" ;,").startswith(FORMULA_STARTS)


def _read(data: bytes, delimiter: str = ",") -> list[list[str]]:
    """The cells as a spreadsheet reads them: UTF-8 announced by the BOM, quotes honoured."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def _written(rows: list[list[object]]) -> bytes:
    out = io.StringIO(newline="")
    write_csv(out, ["name", "value"], rows)
    return out.getvalue().encode("utf-8")


def test_every_hostile_cell_is_read_back_as_text_with_the_bom() -> None:
    texts = HOSTILE + list(naughty_strings())
    data = _written([[text, text] for text in texts])

    cells = _read(data)

    assert data.startswith(b"\xef\xbb\xbf")
    assert [cell for row in cells for cell in row if looks_like_formula(cell)] == []
    # Nothing is lost: each cell is the text written, after an apostrophe where needed.
    assert [row[0] for row in cells[1:]] == [safe_cell(text) for text in texts]


def test_a_spreadsheet_set_to_semicolons_finds_no_formula_either() -> None:
    data = _written([[text, 1] for text in HOSTILE])

    cells = _read(data, delimiter=";")

    assert [cell for row in cells for cell in row if looks_like_formula(cell)] == []


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1", "'=1"), (";=1", "';=1"), ("\uff1d1", "'\uff1d1"), ("\uff20x", "'\uff20x"),
        ("a=b", "a=b"), ("-3", "'-3"), (-3, "-3"), (Decimal("-2.50"), "-2.50"), (2.5, "2.5"),
        (True, "True"), (None, ""),
    ],
)  # fmt: skip
def test_text_that_starts_like_a_formula_gets_an_apostrophe_and_numbers_stay(
    value: object, cell: str
) -> None:
    assert safe_cell(value) == cell


def test_csv_response_is_a_private_utf8_download() -> None:
    response = csv_response("people.csv", ["name"], [["=evil"]])

    assert (
        response["Content-Type"],
        response["Content-Disposition"],
        response["Cache-Control"],
        response.content,
    ) == (
        "text/csv; charset=utf-8",
        'attachment; filename="people.csv"',
        "private, no-store",
        b'\xef\xbb\xbf"name"\r\n"\'=evil"\r\n',
    )


def test_the_application_export_is_written_by_the_one_writer(db: None) -> None:
    run = RunFactory()
    for text in HOSTILE:
        ApplicationFactory(run=run, home_community=text, applicant__display_name=text)
    client = Client()
    client.force_login(UserFactory(is_staff=True))

    response = client.get(
        reverse("applications:export", kwargs={"slug": run.course.slug, "run": run.slug})
    )

    assert response.content.startswith(b"\xef\xbb\xbf")
    cells = _read(response.content)
    assert [cell for row in cells for cell in row if looks_like_formula(cell)] == []
    assert sorted(row[1] for row in cells[1:]) == sorted(safe_cell(text) for text in HOSTILE)
