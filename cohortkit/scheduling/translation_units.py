"""The scheduling app's translation units: what a live-session series is called and about.

Found by the translations app's registry (`cohortkit/translations/registry.py`); this
module is the only place the scheduling app names it. Keys, per run of the course:

- `scheduling.<run-slug>.session.<pk>.title`: the title a coordinator wrote for a series
  (series from a plan and the onboarding call have none: they are named by kind and number
  in each reader's language, `Session.default_title`);
- `scheduling.<run-slug>.session.<pk>.agenda`: its agenda, one unit (it is plain text with
  line breaks, not Markdown).

The primary key keeps a key when a series is renamed or moved to another weekday. A
week's note (why it was moved or cancelled) is not a unit: it is written for one meeting,
in the moment, and is gone from view once the week has passed.
"""

from collections.abc import Iterable, Iterator

from cohortkit.courses.models import Course, Run
from cohortkit.scheduling.models import Session
from cohortkit.translations.queries import TextLookup
from cohortkit.translations.registry import UnitSpec

SAVED_WITH = {Session: "run__course"}
FIELDS = ("title", "agenda")


def session_key(run: Run, session: Session, field: str) -> str:
    """The key of the series' `title` or `agenda`. The run is passed, not read from the
    series, so that a page listing many series needs no query for their runs."""
    return f"scheduling.{run.slug}.session.{session.pk}.{field}"


def session_keys(run: Run, sessions: Iterable[Session]) -> list[str]:
    """The keys of every text of `sessions` (for `mail_texts` and the personal feed)."""
    return [session_key(run, session, field) for session in sessions for field in FIELDS]


def session_title(texts: TextLookup, run: Run, session: Session) -> str:
    """The series' title in `texts`' language: a title the coordinator wrote through its
    translation unit, a series without one by its kind and number (`Session.default_title`,
    in the active language: the caller activates the reader's)."""
    if not session.title:
        return session.default_title()
    return texts.text(session_key(run, session, "title"), session.title)


def units(course: Course) -> Iterator[UnitSpec]:
    sessions = (
        Session.objects.filter(run__course=course)
        .select_related("run")
        .order_by("run__starts_on", "run__pk", "kind", "group", "pk")
    )
    for session in sessions:
        where = f"Run {session.run.slug} > live session “{session}”"
        if session.title:  # without one, its name is interface text (`default_title`)
            yield UnitSpec(
                session_key(session.run, session, "title"),
                session.title,
                "title",
                f"{where}: title",
            )
        yield UnitSpec(
            session_key(session.run, session, "agenda"), session.agenda, "text", f"{where}: agenda"
        )
