"""Read the peer-review allocator's participants from CSV, as the command line and the
benchmarks give them (the allocator itself, the `allocation` package, reads no files), as
`applications/selection_io.py` does for the selector."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cohortkit.reviews.allocation import Cohort, CohortError


def parse_cohort_csv(text: str) -> Cohort:
    """Parse CSV text with a header containing ``id`` and attribute columns.

    Cells are stripped of surrounding whitespace; an empty cell is an empty value.
    """
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise CohortError("the file is empty: expected a header with an 'id' column")
    header = [h.strip() for h in header]
    if "id" not in header:
        raise CohortError(f"no 'id' column in the header (columns: {', '.join(header)})")
    if len(set(header)) != len(header):
        raise CohortError("the header names a column twice")
    rows = [row for row in reader if row]  # the csv module gives [] for a blank line
    width = len(header)
    if any(len(row) != width for row in rows):
        number, row = next((i, r) for i, r in enumerate(rows, start=2) if len(r) != width)
        raise CohortError(f"row {number} has {len(row)} cells, the header has {width}")
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    by_name = {name: tuple(map(str.strip, col)) for name, col in zip(header, columns, strict=True)}
    ids = by_name.pop("id")
    if "" in ids:
        raise CohortError(f"row {ids.index('') + 2} has an empty id")
    return Cohort(ids=ids, columns=by_name)


def read_cohort_csv(path: str | Path) -> Cohort:
    """Read and parse a participants CSV file (UTF-8, optional BOM)."""
    return parse_cohort_csv(Path(path).read_text(encoding="utf-8-sig"))
