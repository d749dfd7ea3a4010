"""Hostile and odd strings from ../shared/data/ for every free-text field.

`naughty_strings()` gives the Big List of Naughty Strings plus XSS, SSTI and SQL-injection
payloads, without the ones a text field cannot hold (NUL bytes, lone surrogates).
"""

import json
from functools import cache
from pathlib import Path

# A copy of ../shared/data (MIT-licensed lists; see data/SOURCES.md), so a fresh clone tests alone.
DATA = Path(__file__).resolve().parent / "data"


@cache
def naughty_strings() -> tuple[str, ...]:
    strings: list[str] = json.loads((DATA / "blns.json").read_text(encoding="utf-8"))
    for name in sorted(DATA.glob("patt-*.txt")):
        strings += name.read_text(encoding="utf-8", errors="replace").splitlines()
    usable = []
    for text in strings:
        if "\x00" in text:
            continue
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            continue
        usable.append(text)
    return tuple(dict.fromkeys(usable))


@cache
def xss_payloads() -> tuple[str, ...]:
    lines: list[str] = []
    for name in sorted(DATA.glob("patt-xss-*.txt")):
        lines += name.read_text(encoding="utf-8", errors="replace").splitlines()
    return tuple(line for line in dict.fromkeys(lines) if line.strip())
