"""Check a translation's markup and placeholders against its source text.

Pure functions: each problem is a sentence naming what is missing or extra, so a translator
can fix it without guessing. Nothing here changes the text.
"""

import re
from collections import Counter

from django.utils.translation import gettext as _

_LINK_TAG = re.compile(r"<(/?)a(\d+)>|<img(\d+)/>")
_BRACE = re.compile(r"\{\{?\s*[A-Za-z_][\w.]*\s*\}?\}")
_PERCENT = re.compile(r"%\([A-Za-z_]\w*\)[sdifr]|%[sdif]")
_CODE = re.compile(r"`[^`\n]+`")
_URL = re.compile(r"https?://[^\s<>()\"]+")
# Addresses a browser reads as another site's or as code, whatever the scheme: `ftp://…`,
# `javascript:…`, `data:…`, and protocol-relative `//host/…` (also `/\host`, `\\host`), which
# look like a path on this site. http(s) addresses are compared by _URL above.
_OTHER_SCHEME = re.compile(
    r"(?<![\w+.-])(?!https?:)[a-z][a-z0-9+.-]*:(?://|(?<=javascript:)|(?<=vbscript:)|(?<=data:))"
    r"[^\s<>()\"']*",
    re.IGNORECASE,
)
_PROTOCOL_RELATIVE = re.compile(r"(?<![\w:/\\])[/\\][/\\]+[^\s<>()\"'/\\]+[^\s<>()\"']*")


def _tags(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for closing, link, image in _LINK_TAG.findall(text):
        found[f"<{closing}a{link}>" if link else f"<img{image}/>"] += 1
    return found


def _compare(source: Counter[str], target: Counter[str], missing: str, extra: str) -> list[str]:
    problems = []
    lost = sorted((source - target).elements())
    added = sorted((target - source).elements())
    if lost:
        problems.append(missing % {"items": ", ".join(dict.fromkeys(lost))})
    if added:
        problems.append(extra % {"items": ", ".join(dict.fromkeys(added))})
    return problems


def check_translation(source: str, translation: str) -> list[str]:
    """Problems with `translation` as a rendering of `source`; an empty list means none."""
    if not translation.strip():
        return []
    problems: list[str] = []
    problems += _compare(
        _tags(source),
        _tags(translation),
        _("Missing link markup: %(items)s (keep each link's <aN>…</aN> around its words)."),
        _("Link markup that is not in the source: %(items)s."),
    )
    for pattern, missing, extra in [
        (
            _BRACE,
            _("Missing placeholder: %(items)s (copy it exactly, braces included)."),
            _("Placeholder not in the source, or misspelt: %(items)s."),
        ),
        (
            _PERCENT,
            _("Missing placeholder: %(items)s (copy it exactly, %% sign included)."),
            _("Placeholder not in the source, or misspelt: %(items)s."),
        ),
        (
            _CODE,
            _("Missing code: %(items)s (text between backticks is not translated)."),
            _("Code not in the source: %(items)s."),
        ),
        (
            _URL,
            _("Missing web address: %(items)s."),
            _("Web address not in the source: %(items)s."),
        ),
        (
            _OTHER_SCHEME,
            _("Missing address: %(items)s."),
            _("Address not in the source: %(items)s (a translation may not add links of its own)."),
        ),
        (
            _PROTOCOL_RELATIVE,
            _("Missing address: %(items)s."),
            _(
                "Link to another site not in the source: %(items)s (an address starting "
                "with // leads off this site; a translation may not add links of its own)."
            ),
        ),
    ]:
        problems += _compare(
            Counter(pattern.findall(source)), Counter(pattern.findall(translation)), missing, extra
        )
    if translation.count("{") != translation.count("}") and source.count("{") == source.count("}"):
        problems.append(_("Unbalanced braces: every { needs its }."))
    return problems
