"""Translation files: gettext PO (polib), XLIFF 1.2 (translate-toolkit) and the JSON
message bundles of MediaWiki's Translate extension, whose messages are written in the
banana-i18n syntax (`bundle_markup`: links `[$1 words]`, images `$2`).

Export writes every current unit of a course with its key, source text and (if any) the
translation into the language. Parsing turns a file into `Incoming` entries or raises
`FileProblem` naming what is wrong; `import_translations` (below) applies them atomically.

The source of an export is normally the course's own language; `source=` names another
language whose translations then serve as the source text (pivot translation: a course
translated into Spanish can be translated from Spanish). Units without a translation in
the pivot language keep the original source text, flagged in the unit's comment.
"""

import json
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import polib
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from translate.lang import data as language_data
from translate.storage import xliff

from cohortkit.accounts.models import User
from cohortkit.courses.models import Course
from cohortkit.translations.bundle_markup import from_bundle, to_bundle
from cohortkit.translations.checks import check_translation
from cohortkit.translations.models import SourceUnit, State, Translation

FORMATS = ("po", "xliff", "bundle")
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
CONTENT_TYPES = {
    "po": "text/x-gettext-translation; charset=utf-8",
    "xliff": "application/x-xliff+xml; charset=utf-8",
    "bundle": "application/json; charset=utf-8",
}
EXTENSIONS = {"po": "po", "xliff": "xlf", "bundle": "json"}
# Characters XML 1.0 cannot carry at all (C0 controls but tab and newlines, and U+FFFE/F).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_IMPORTABLE_XLIFF = {"translated", "final", "signed-off"}


class FileProblem(ValueError):
    """A file that cannot be imported; the message says why (and where)."""


@dataclass(frozen=True)
class Row:
    """One unit as exported."""

    key: str
    source: str
    target: str
    state: str
    context: str
    previous_source: str = ""


@dataclass(frozen=True)
class Incoming:
    key: str
    source: str | None  # None where the format carries no source text (bundles)
    text: str
    is_fuzzy: bool = False  # marked fuzzy in a PO file: read, reported, never imported


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (key, reason)


def export_rows(course: Course, language: str, *, source: str = "") -> list[Row]:
    """Every current unit with its translation into `language` (two queries)."""
    units = list(SourceUnit.objects.current().filter(course=course).order_by("position"))
    wanted = [language] + ([source] if source and source != course.language else [])
    translations = {
        (t.unit_id, t.language): t
        for t in Translation.objects.filter(unit__in=units, language__in=wanted)
    }
    rows = []
    for unit in units:
        own = translations.get((unit.pk, language))
        source_text, context = unit.text, unit.context
        if source and source != course.language:
            pivot = translations.get((unit.pk, source))
            if pivot and pivot.state in (State.TRANSLATED, State.REVIEWED):
                source_text = pivot.text
            else:
                context = f"{context} [{course.language}]".strip()
        state = own.state if own else State.UNTRANSLATED
        rows.append(
            Row(
                key=unit.key,
                source=source_text,
                target=own.text if own and state != State.UNTRANSLATED else "",
                state=state,
                context=context,
                previous_source=own.source_text_at_translation
                if own and state == State.OUTDATED
                else "",
            )
        )
    return rows


def plural_forms(language: str) -> str:
    """The gettext Plural-Forms header for a language code (`ar`: six forms), from
    translate-toolkit's table of gettext plural rules; empty for a language it lacks."""
    code = language.replace("-", "_")
    for candidate in (code, code.split("_")[0]):
        known = language_data.languages.get(candidate)
        if known:
            _name, count, formula = known
            return f"nplurals={count}; plural=({formula});"
    return ""


def write_po(course: Course, language: str, rows: Iterable[Row], *, source: str) -> str:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": course.slug,
        # msgfmt -c asks for these three: the export instant, and the course's contact.
        "PO-Revision-Date": timezone.now().strftime("%Y-%m-%d %H:%M+0000"),
        "Last-Translator": f"{course.slug} <{course.contact_email}>",
        "Language-Team": f"{language} <{course.contact_email}>",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": source,
        "X-Generator": "cohortkit",
    }
    if plural := plural_forms(language):
        po.metadata["Plural-Forms"] = plural
    for row in rows:
        entry = polib.POEntry(
            msgctxt=row.key,
            msgid=row.source,
            msgstr=row.target,
            comment=row.context,
            tcomment=f"state: {row.state}",
        )
        if row.state == State.OUTDATED:
            entry.flags.append("fuzzy")
            entry.previous_msgid = row.previous_source
        po.append(entry)
    return str(po)


def write_xliff(course: Course, language: str, rows: Iterable[Row], *, source: str) -> str:
    rows = list(rows)
    unwritable = [row.key for row in rows if _NOT_XML.search(row.source + row.target)]
    if unwritable:
        raise FileProblem(
            _(
                "XLIFF (XML) cannot carry control characters; these units contain some: "
                "%(keys)s. Export as PO or bundle instead."
            )
            % {"keys": ", ".join(unwritable)}
        )
    root = etree.Element(f"{{{XLIFF_NS}}}xliff", nsmap={None: XLIFF_NS}, version="1.2")
    file = etree.SubElement(
        root,
        f"{{{XLIFF_NS}}}file",
        original=course.slug,
        datatype="plaintext",
        **{"source-language": source, "target-language": language},
    )
    body = etree.SubElement(file, f"{{{XLIFF_NS}}}body")
    for row in rows:
        unit = etree.SubElement(body, f"{{{XLIFF_NS}}}trans-unit", id=row.key)
        unit.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if row.state == State.REVIEWED:
            unit.set("approved", "yes")
        etree.SubElement(unit, f"{{{XLIFF_NS}}}source").text = row.source
        if row.target:
            target = etree.SubElement(unit, f"{{{XLIFF_NS}}}target")
            target.text = row.target
            target.set(
                "state",
                {
                    State.OUTDATED: "needs-review-translation",
                    State.REVIEWED: "signed-off",
                }.get(State(row.state), "translated"),
            )
        if row.context:
            note = etree.SubElement(unit, f"{{{XLIFF_NS}}}note", {"from": "developer"})
            note.text = row.context
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()


def write_bundle(course: Course, language: str, rows: Iterable[Row], *, source: str) -> str:
    """A Translate-extension bundle: translated messages only (the source bundle when
    `language` is the source language), plus an @metadata entry. Messages are in the
    banana-i18n syntax its readers parse (see `bundle_markup`)."""
    bundle: dict[str, object] = {
        "@metadata": {"authors": [], "course": course.slug, "language": language},
    }
    for row in rows:
        if language == source:
            bundle[row.key] = to_bundle(row.source)
        elif row.target and row.state != State.OUTDATED:
            bundle[row.key] = to_bundle(row.target)
    return json.dumps(bundle, ensure_ascii=False, indent="\t") + "\n"


def export_file(course: Course, *, language: str, file_format: str, source: str = "") -> str:
    """The course's units in `file_format` for `language`, as text."""
    source = source or course.language
    rows = export_rows(course, language, source=source)
    writer = {"po": write_po, "xliff": write_xliff, "bundle": write_bundle}[file_format]
    return writer(course, language, rows, source=source)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem(
            _("The file is not UTF-8 text (byte %(position)s).") % {"position": error.start}
        ) from error


def guess_format(data: bytes) -> str:
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        return "bundle"
    if text.startswith(b"<"):
        return "xliff"
    return "po"


_PO_LINE = re.compile(
    r'\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"(?:[^"\\]|\\.)*"\s*)?'
)


def _check_po_lines(text: str) -> None:
    # polib silently drops an entry with an unclosed quote; refuse the file instead.
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if not _PO_LINE.fullmatch(line):
            raise FileProblem(
                _("This is not a readable PO file: line %(line)s is not a PO line: %(text)s")
                % {"line": number, "text": line[:80]}
            )


def parse_po(data: bytes, *, language: str) -> list[Incoming]:
    _check_po_lines(_decode(data))
    try:
        # polib splits a string with str.splitlines(), which also breaks at \x1c-\x1e, \x85
        # and U+2028/9; a file is read line by line at newlines only, so nothing is lost.
        with tempfile.NamedTemporaryFile(suffix=".po") as handle:
            handle.write(data.removeprefix(b"\xef\xbb\xbf"))
            handle.flush()
            po = polib.pofile(handle.name, encoding="utf-8")
    except (OSError, ValueError) as error:
        raise FileProblem(
            _("This is not a readable PO file: %(error)s") % {"error": error}
        ) from error
    if not len(po) and not po.metadata:
        raise FileProblem(_("This is not a readable PO file: it has no entries."))
    declared = po.metadata.get("Language", "").replace("_", "-").lower()
    if declared and declared != language.lower():
        raise FileProblem(
            _("The file is for language “%(file)s”, not “%(language)s”.")
            % {"file": declared, "language": language}
        )
    entries = []
    for entry in po:
        if entry.obsolete or not entry.msgstr:
            continue
        if not entry.msgctxt:
            raise FileProblem(
                _("Line %(line)s: the entry has no msgctxt (the unit's key).")
                % {"line": entry.linenum}
            )
        entries.append(
            Incoming(entry.msgctxt, entry.msgid, entry.msgstr, is_fuzzy="fuzzy" in entry.flags)
        )
    return entries


def _refuse_doctype(data: bytes) -> None:
    """Refuse any document type declaration: its entities would be expanded, dropped or
    fetched (XXE, "billion laughs"), and XLIFF needs none. Read with lxml with entities
    left unresolved, no DTD loaded and no network."""
    parser = etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
    )
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as error:
        raise FileProblem(
            _("This is not a readable XLIFF file: %(error)s") % {"error": error}
        ) from error
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise FileProblem(
            _(
                "The XLIFF file has a document type declaration (<!DOCTYPE …>), which is "
                "refused: its entities could change the text or read other files. Export "
                "the file again without it."
            )
        )


def parse_xliff(data: bytes, *, language: str) -> list[Incoming]:
    _decode(data)
    _refuse_doctype(data)
    try:
        store = xliff.xlifffile.parsestring(data)
    except (etree.XMLSyntaxError, ValueError, AttributeError) as error:
        raise FileProblem(
            _("This is not a readable XLIFF file: %(error)s") % {"error": error}
        ) from error
    declared = (store.gettargetlanguage() or "").replace("_", "-").lower()
    if declared and declared != language.lower():
        raise FileProblem(
            _("The file is for language “%(file)s”, not “%(language)s”.")
            % {"file": declared, "language": language}
        )
    entries = []
    for unit in store.units:
        if unit.isheader():
            continue
        # translate-toolkit prefixes getid() with the file name: read the attribute itself.
        key = unit.xmlelement.get("id")
        if not key:
            raise FileProblem(_("A trans-unit has no id attribute (the unit's key)."))
        target = unit.target
        if not target:
            continue
        target_element = unit.xmlelement.find(f"{{{unit.namespace}}}target")
        state = target_element.get("state") if target_element is not None else None
        if state is not None and state not in _IMPORTABLE_XLIFF and not unit.isapproved():
            continue
        entries.append(Incoming(key, unit.source, str(target)))
    return entries


def parse_bundle(data: bytes, *, language: str) -> list[Incoming]:
    def unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [key for key, _value in pairs]
        twice = sorted({key for key in keys if keys.count(key) > 1})
        if twice:
            raise FileProblem(_("Keys appear twice: %(keys)s.") % {"keys": ", ".join(twice)})
        return dict(pairs)

    try:
        bundle = json.loads(_decode(data), object_pairs_hook=unique)
    except json.JSONDecodeError as error:
        raise FileProblem(
            _("This is not a readable JSON bundle: %(error)s") % {"error": error}
        ) from error
    if not isinstance(bundle, dict):
        raise FileProblem(_("A message bundle must be one JSON object of key → message."))
    entries = []
    for key, value in bundle.items():
        if key == "@metadata":
            continue
        if not isinstance(value, str):
            raise FileProblem(_("The message “%(key)s” is not a string.") % {"key": key[:100]})
        if value:
            entries.append(Incoming(key, None, from_bundle(value)))
    return entries


def parse_file(data: bytes, *, language: str, file_format: str = "") -> list[Incoming]:
    """Entries marked translated in the file (PO entries marked fuzzy come flagged, for the
    import report); raises FileProblem if it cannot be read."""
    file_format = file_format or guess_format(data)
    parser = {"po": parse_po, "xliff": parse_xliff, "bundle": parse_bundle}[file_format]
    entries = parser(data, language=language)
    keys = [entry.key for entry in entries]
    if len(keys) != len(set(keys)):
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        raise FileProblem(_("Keys appear twice: %(keys)s.") % {"keys": ", ".join(duplicates)})
    return entries


class ImportRejected(ValueError):
    """The file is readable but some translations fail the checks; nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _checked_plan(
    entries: list[Incoming],
    *,
    units: dict[str, SourceUnit],
    existing: dict[tuple[int, str], Translation],
    pivot: str,
    report: ImportReport,
) -> list[tuple[SourceUnit, Incoming]]:
    """The entries to apply, each with its unit; entries that cannot apply are skipped
    and reported, and any check that fails rejects the whole file. `pivot` is the
    language the file was translated from when it is not the course's own."""
    problems = []
    plan: list[tuple[SourceUnit, Incoming]] = []
    for entry in entries:
        if entry.is_fuzzy:
            report.skipped.append((entry.key, _("marked fuzzy in the file (not yet confirmed)")))
            continue
        unit = units.get(entry.key)
        if unit is None:
            report.skipped.append((entry.key, _("no such unit in this course")))
            continue
        if entry.source is not None and entry.source != _source_seen(unit, existing, pivot):
            report.skipped.append((entry.key, _("the source text changed since the file was made")))
            continue
        problems += [
            f"{entry.key}: {problem}" for problem in check_translation(unit.text, entry.text)
        ]
        plan.append((unit, entry))
    if problems:
        raise ImportRejected(problems)
    return plan


def _source_seen(unit: SourceUnit, existing: dict[tuple[int, str], Translation], pivot: str) -> str:
    """The text the file's translator translated from: the unit's own, or its finished
    translation into the pivot language."""
    translation = existing.get((unit.pk, pivot)) if pivot else None
    if translation and translation.state in (State.TRANSLATED, State.REVIEWED):
        return translation.text
    return unit.text


@transaction.atomic
def import_translations(
    course: Course,
    *,
    language: str,
    entries: list[Incoming],
    by: User | None,
    at: datetime,
    force: bool = False,
    source: str = "",
) -> ImportReport:
    """Apply translated entries to the course's units in `language`, all or nothing.

    Every entry is checked first (markup and placeholders against the unit's source); any
    problem raises ImportRejected and nothing changes. Entries for unknown keys, entries
    translated from a source text that has changed since, and entries that would replace a
    reviewed translation with different text (unless `force`), and entries marked fuzzy in
    the file are skipped and reported.
    Imported text becomes "translated" (reviewing stays with staff). Sends nothing.
    """
    units = {u.key: u for u in SourceUnit.objects.current().filter(course=course)}
    wanted = [language] + ([source] if source and source != course.language else [])
    existing = {
        (t.unit_id, t.language): t
        for t in Translation.objects.select_for_update().filter(
            unit__in=units.values(), language__in=wanted
        )
    }
    report = ImportReport()
    pivot = source if source and source != course.language else ""
    plan = _checked_plan(entries, units=units, existing=existing, pivot=pivot, report=report)
    changed = []
    for unit, entry in plan:
        translation = existing.get((unit.pk, language))
        if translation is None:
            translation = Translation(unit=unit, language=language)
            report.created.append(unit.key)
        elif translation.text == entry.text and translation.state in (
            State.TRANSLATED,
            State.REVIEWED,
        ):
            report.unchanged.append(unit.key)
            continue
        elif translation.state == State.REVIEWED and not force:
            report.skipped.append(
                (unit.key, _("a reviewed translation differs; import with force to replace it"))
            )
            continue
        else:
            report.updated.append(unit.key)
        translation.text, translation.state = entry.text, State.TRANSLATED
        translation.translator, translation.translated_at = by, at
        translation.reviewer, translation.reviewed_at = None, None
        translation.source_text_at_translation = unit.text
        changed.append(translation)
    for translation in changed:
        translation.save()
    return report
