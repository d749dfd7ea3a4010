"""Hostile and odd strings from ../shared/data/ for every free-text field.

`naughty_strings()` gives the Big List of Naughty Strings plus XSS, SSTI and SQL-injection
payloads, without the ones a text field cannot hold (NUL bytes, lone surrogates);
`sampled_strings()` a few of each list, for tests where one request per string is too slow.
"""

import json
from functools import cache
from pathlib import Path

# A copy of ../shared/data (MIT-licensed lists; see data/SOURCES.md), so a fresh clone tests alone.
DATA = Path(__file__).resolve().parent / "data"


def _lists() -> list[list[str]]:
    lists: list[list[str]] = [json.loads((DATA / "blns.json").read_text(encoding="utf-8"))]
    for name in sorted(DATA.glob("patt-*.txt")):
        lists.append(name.read_text(encoding="utf-8", errors="replace").splitlines())
    return lists


def _usable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@cache
def naughty_strings() -> tuple[str, ...]:
    return tuple(dict.fromkeys(text for strings in _lists() for text in strings if _usable(text)))


@cache
def sampled_strings(per_list: int = 6) -> tuple[str, ...]:
    """`per_list` strings spread evenly over each list (the Big List and each payload file),
    so every kind of hostile text is tried: the same ones every run."""
    sample: list[str] = []
    for strings in _lists():
        usable = [text for text in dict.fromkeys(strings) if _usable(text) and text.strip()]
        step = max(1, len(usable) // per_list)
        sample += usable[::step][:per_list]
    return tuple(dict.fromkeys(sample))


@cache
def xss_payloads() -> tuple[str, ...]:
    lines: list[str] = []
    for name in sorted(DATA.glob("patt-xss-*.txt")):
        lines += name.read_text(encoding="utf-8", errors="replace").splitlines()
    return tuple(line for line in dict.fromkeys(lines) if line.strip())
