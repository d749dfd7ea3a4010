"""Course content without a request: the texts a mail or a person's calendar feed shows,
in the language it is written in.

Mail is rendered without a request, in the language the outbox stores for it (the
recipient's, as `queue_mail` and `queue_mails` decide), so `queries.content_texts` cannot
choose for it. `mail_texts` gives one `TextLookup` per language a mailing needs, from one
load. A personal calendar feed is fetched by a calendar app, not by its person, so
`person_texts` reads the person's profile instead of the request. Where a language has no
current translation the lookup gives the source; mail and calendars are plain text, so
they show it as it is, without the pages' marker.
"""

from collections.abc import Iterable

from django.db.models import Q

from cohortkit.accounts.models import User
from cohortkit.courses.models import Course, Run
from cohortkit.translations import registry
from cohortkit.translations.models import LanguageVersion
from cohortkit.translations.queries import TextLookup, _matches, _shown, _states, _visible_rows


def _published(course: Course, languages: set[str]) -> dict[str, LanguageVersion]:
    """The course's published versions other than its own language (one query), or none
    without asking when every language is the course's own."""
    if not languages - {course.language}:
        return {}
    versions = LanguageVersion.objects.filter(course=course, is_published=True).exclude(
        language=course.language
    )
    return {version.language: version for version in versions}


def _lookups(
    course: Course,
    shown_in: dict[str, str | None],
    published: dict[str, LanguageVersion],
    wanted: frozenset[str],
) -> dict[str, TextLookup]:
    """A lookup per asked language, shown in `shown_in[language]` (a published language,
    the course's own, or None: the source), holding the `wanted` keys (one query)."""
    states = {code: _states(version) for code, version in published.items()}
    needed = {code for code in shown_in.values() if code in states}
    texts: dict[str, dict[str, tuple[str, str]]] = {code: {} for code in needed}
    if needed:
        shown = Q()
        for code in needed:
            shown |= _shown(course, code, states[code])
        for _course, code, key, source, text in _visible_rows(shown, wanted):
            texts[code][key] = (source, text)
    return {
        language: TextLookup(course, code, states=states[code], texts=texts[code], keys=wanted)
        if code in needed
        # The course's own language, or one it is not published in: the source throughout.
        else TextLookup(course, code or language, states=[], texts={})
        for language, code in shown_in.items()
    }


def _wanted(runs: Iterable[Run], keys: Iterable[str]) -> frozenset[str]:
    return frozenset({"course.title", *(registry.run_key(run) for run in runs), *keys})


def mail_texts(
    course: Course, languages: Iterable[str], *, runs: Iterable[Run] = (), keys: Iterable[str] = ()
) -> dict[str, TextLookup]:
    """A lookup of the course's texts for each of `languages`, as learners may see them,
    holding its title, the titles of `runs` and the units `keys`: two queries however many
    languages, recipients and texts (the course's published versions, then the translations
    in all of them), none when every language is the course's own. A lookup asked for
    another text loads the rest of the course in its language (one query)."""
    languages = set(languages)
    published = _published(course, languages)
    # A mail in "es-mx" shows the course's Spanish, as a page would (`content_language`).
    available = [course.language, *published]
    shown_in = {language: _matches(language, available) for language in languages}
    return _lookups(course, shown_in, published, _wanted(runs, keys))


def person_texts(
    course: Course, person: User, *, runs: Iterable[Run] = (), keys: Iterable[str] = ()
) -> TextLookup:
    """The course's texts in the person's content language as their profile sets it (the
    course content language, else their interface language), holding its title, the
    titles of `runs` and the units `keys`; the source when the course is not published in
    either. Two queries at most, none when the course is in one of them already; the
    pages ask the same profile first (`queries.content_language`)."""
    wishes = [code for code in (person.content_language, person.interface_language) if code]
    published = _published(course, set(wishes))
    available = [course.language, *published]
    chosen = next((match for wish in wishes if (match := _matches(wish, available))), None)
    shown_in: dict[str, str | None] = {"": chosen or course.language}
    return _lookups(course, shown_in, published, _wanted(runs, keys))[""]


def mail_titles(run: Run, texts: TextLookup) -> dict[str, str]:
    """The titles a mail names its run by, in the language of `texts`: `course_title`,
    `run_title`, and `run_name` (both, as `str(run)` writes them)."""
    course_title = texts.text("course.title", run.course.title)
    run_title = str(texts.run(run))
    return {
        "course_title": course_title,
        "run_title": run_title,
        "run_name": f"{course_title} ({run_title})",
    }
