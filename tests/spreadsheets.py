"""CSV downloads read back twice: with Python's csv module, and with csvkit (Debian's
`csvkit`, installed by scripts/system-deps), a program nobody here wrote."""

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

from django.http import HttpResponse


def read_csv(response: HttpResponse, tmp_path: Path) -> list[list[str]]:
    """The rows of a CSV download, after checking it is what every export is (UTF-8 with a
    byte-order mark, never cached) and that csvkit reads the same rows without complaint."""
    data = response.content
    assert (response["Content-Type"], response["Cache-Control"], data[:3]) == (
        "text/csv; charset=utf-8",
        "private, no-store",
        b"\xef\xbb\xbf",
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    csvclean, csvjson = shutil.which("csvclean"), shutil.which("csvjson")
    assert csvclean, "Debian's csvkit is installed by scripts/system-deps"
    assert csvjson, "Debian's csvkit is installed by scripts/system-deps"
    cleaned = subprocess.run(  # noqa: S603 - a fixed program on our own file
        [csvclean, "-n", str(path)], capture_output=True, text=True, timeout=60, check=True
    )
    assert cleaned.stdout == "No errors.\n", cleaned.stdout
    as_json = subprocess.run(  # noqa: S603 - a fixed program on our own file
        [csvjson, "--no-inference", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    header, *body = rows
    read = json.loads(as_json.stdout)
    # csvjson reads an empty cell as null.
    expected = [{k: v or None for k, v in zip(header, row, strict=True)} for row in body]
    assert read == expected, (read, expected)
    return rows
