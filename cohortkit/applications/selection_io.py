"""Read applicants and quotas as the command line gives them; write the selection as JSON."""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cohortkit.applications.selection import (
    ApplicantTable,
    AttributeValue,
    CodedColumn,
    Quota,
    QuotaKind,
    Selection,
    SelectionError,
)

if TYPE_CHECKING:
    from _csv import Reader as _CsvReader

# A cell holding several answers (the languages someone speaks) separates them with this.
MULTI_VALUE_SEPARATOR = ";"


class SelectionInputError(SelectionError):
    """The applications file or a quota specification cannot be used as given."""


def read_applications_csv(path: str | Path) -> ApplicantTable:
    """Read a CSV with a header naming ``id``, ``score`` and any attribute columns.

    Cells are stripped of surrounding spaces; an attribute cell containing ``;`` is a set of
    answers (a quota matches it when the set contains the quota's value).
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            return parse_applications_csv(file, source=str(path))
    except FileNotFoundError:
        raise SelectionInputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SelectionInputError(f"{path}: is a directory, not a CSV file") from None
    except UnicodeDecodeError as error:
        raise SelectionInputError(f"{path}: not UTF-8 text ({error.reason})") from None
    except csv.Error as error:
        raise SelectionInputError(f"{path}: not a readable CSV file ({error})") from None


def parse_applications_csv(lines: Iterable[str], *, source: str = "<input>") -> ApplicantTable:
    """Read the CSV column by column; a file with any problem is read again row by row, so
    that the message names the line and column of the first one."""
    lines = list(lines)
    reader = csv.reader(lines)
    header = _checked_header(next(reader, None), source)
    id_at, score_at = header.index("id"), header.index("score")
    attribute_at = [(i, name) for i, name in enumerate(header) if name not in ("id", "score")]
    table = _read_columns(list(reader), len(header), id_at, score_at, attribute_at)
    if table is not None:
        return table
    reader = csv.reader(lines)
    next(reader)
    return _read_rows(reader, len(header), id_at, score_at, attribute_at, source=source)


def _checked_header(header: list[str] | None, source: str) -> list[str]:
    """The column names, stripped; an error unless `id` and `score` are there and no name
    appears twice."""
    if header is None:
        raise SelectionInputError(f"{source}: the file is empty; it needs a header line")
    names = [name.strip() for name in header]
    for required in ("id", "score"):
        if required not in names:
            raise SelectionInputError(f"{source}, line 1: no {required!r} column in the header")
    seen_names: set[str] = set()
    for name in names:
        if name in seen_names:
            raise SelectionInputError(f"{source}, line 1: the column {name!r} appears twice")
        seen_names.add(name)
    return names


def _read_rows(
    reader: _CsvReader,
    width: int,
    id_at: int,
    score_at: int,
    attribute_at: list[tuple[int, str]],
    *,
    source: str,
) -> ApplicantTable:
    """The table read row by row after the header, skipping blank lines; the first
    problem raises an error naming its line and column."""
    ids: list[str] = []
    scores: list[float] = []
    columns = {name: _ColumnCodes() for _, name in attribute_at}
    first_line: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != width:
            raise SelectionInputError(
                f"{source}, line {line}: expected {width} fields, found {len(row)}"
            )
        applicant_id = _row_id(row[id_at], first_line, line=line, source=source)
        first_line[applicant_id] = line
        ids.append(applicant_id)
        scores.append(_row_score(row[score_at], line=line, source=source))
        for i, name in attribute_at:
            columns[name].add(row[i])
    return ApplicantTable(
        ids=np.array(ids, dtype=str),
        scores=np.array(scores, dtype=np.float64),
        columns={name: codes.column() for name, codes in columns.items()},
    )


def _row_id(cell: str, first_line: dict[str, int], *, line: int, source: str) -> str:
    applicant_id = cell.strip()
    if not applicant_id:
        raise SelectionInputError(f"{source}, line {line}, column id: the id is empty")
    if applicant_id in first_line:
        raise SelectionInputError(
            f"{source}, line {line}, column id: duplicate id {applicant_id!r}"
            f" (first on line {first_line[applicant_id]})"
        )
    return applicant_id


def _row_score(cell: str, *, line: int, source: str) -> float:
    raw_score = cell.strip()
    try:
        score = float(raw_score)
    except ValueError:
        score = math.nan
    if not math.isfinite(score):
        raise SelectionInputError(
            f"{source}, line {line}, column score: {raw_score!r} is not a number"
        )
    return score


class _ColumnCodes:
    """One attribute column read row by row: each row's code into the column's distinct
    answers, each distinct raw cell read once."""

    def __init__(self) -> None:
        self.codes: list[int] = []
        self.answers: list[AttributeValue] = []
        self._cell_codes: dict[str, int] = {}
        self._answer_codes: dict[AttributeValue, int] = {}

    def add(self, cell: str) -> None:
        code = self._cell_codes.get(cell)
        if code is None:
            answer = _attribute(cell)
            code = self._answer_codes.setdefault(answer, len(self.answers))
            if code == len(self.answers):
                self.answers.append(answer)
            self._cell_codes[cell] = code
        self.codes.append(code)

    def column(self) -> CodedColumn:
        return CodedColumn(self.answers, np.array(self.codes, dtype=np.int64))


def _read_columns(
    rows: list[list[str]],
    width: int,
    id_at: int,
    score_at: int,
    attribute_at: list[tuple[int, str]],
) -> ApplicantTable | None:
    """The table from rows that are all well formed, or None if any row is not."""
    if rows and set(map(len, rows)) != {width}:
        return None  # blank lines and ragged rows: the careful reading explains or skips
    columns = [list(map(itemgetter(i), rows)) for i in range(width)]
    ids = [cell.strip() for cell in columns[id_at]]
    if not all(ids) or len(set(ids)) != len(ids):
        return None
    try:
        scores = np.array([float(cell) for cell in columns[score_at]], dtype=np.float64)
    except ValueError:
        return None
    if not np.isfinite(scores).all():
        return None
    coded: dict[str, CodedColumn] = {}
    for i, name in attribute_at:
        cells = columns[i]
        answers: dict[AttributeValue, int] = {}
        code_of = {
            cell: answers.setdefault(_attribute(cell), len(answers))
            for cell in dict.fromkeys(cells)
        }
        codes = np.fromiter(map(code_of.__getitem__, cells), dtype=np.int64, count=len(cells))
        coded[name] = CodedColumn(list(answers), codes)
    return ApplicantTable(ids=np.array(ids, dtype=str), scores=scores, columns=coded)


def _attribute(cell: str) -> AttributeValue:
    cell = cell.strip()
    if MULTI_VALUE_SEPARATOR not in cell:
        return cell
    return frozenset(part.strip() for part in cell.split(MULTI_VALUE_SEPARATOR) if part.strip())


class QuotaSyntaxError(SelectionInputError):
    """A quota not written as ``COLUMN=VALUE:COUNT`` (``at-least COLUMN=VALUE:COUNT`` as a
    line); the message names the text and what is wrong, in English (the command line's);
    pages word it themselves."""


QUOTA_KINDS: dict[str, QuotaKind] = {"at-least": "at_least", "at-most": "at_most"}
_COUNT = re.compile(r"[0-9]+")


def parse_quota(kind: QuotaKind, spec: str) -> Quota:
    """Read ``COLUMN=VALUE:COUNT``: the one syntax of a quota, for the command line's
    ``--at-least``/``--at-most`` and the selection page's what-if lines alike.

    The column ends at the first ``=`` and the count starts after the last ``:``, so the
    value may itself contain ``=`` or ``:``; each part is stripped of surrounding spaces;
    column and value must not be empty and the count is a whole number in the digits 0-9.
    """
    option = "--" + kind.replace("_", "-")
    column, equals, rest = spec.partition("=")
    value, colon, raw_count = rest.rpartition(":")
    column, value, raw_count = column.strip(), value.strip(), raw_count.strip()
    if not equals or not colon or not column or not value:
        raise QuotaSyntaxError(f"{option} {spec!r}: expected COLUMN=VALUE:COUNT")
    if not _COUNT.fullmatch(raw_count):
        raise QuotaSyntaxError(
            f"{option} {spec!r}: the count {raw_count!r} is not a whole number >= 0"
        )
    return Quota(kind, column, value, int(raw_count))


def parse_quota_line(line: str) -> Quota:
    """Read ``at-least COLUMN=VALUE:COUNT`` or ``at-most COLUMN=VALUE:COUNT``: the command
    line's option without its dashes, then `parse_quota`'s syntax."""
    word, _space, spec = line.strip().partition(" ")
    if word not in QUOTA_KINDS:
        raise QuotaSyntaxError(f"{line!r}: expected at-least or at-most COLUMN=VALUE:COUNT")
    return parse_quota(QUOTA_KINDS[word], spec)


def check_quota_columns(quotas: Sequence[Quota], table: ApplicantTable) -> None:
    for quota in quotas:
        if quota.column in ("id", "score") or quota.column not in table.columns:
            known = ", ".join(sorted(table.columns)) or "none"
            raise SelectionInputError(
                f"{quota.name}: unknown column {quota.column!r} (attribute columns: {known})"
            )


def selection_json(selection: Selection) -> str:
    return json.dumps(
        {
            "selected": list(selection.selected),
            "waitlist": list(selection.waitlist),
            "total_score": selection.total_score,
        }
    )
