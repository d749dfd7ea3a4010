"""The personal dashboard at the site root gathers cards from every app.

An app with something to show a signed-in person defines `cards(request, board)` in its
module `<app>/dashboard.py`, returning `Card`s. It may also define `prepare(request, board)`,
called for every app before any `cards`, to load what it shows and name, with
`board.show_runs`, runs it shows that the person holds no role in (an applicant's); then
`prepare_texts(request, board)` (the translations app's) loads the course texts of all
those runs' courses at once. The courses app never imports the other apps by
name: it finds these functions through the app registry (`discovery.discover`), as for
`navigation.py`.

Speed is part of the contract: the board loads the person's runs and roles once; a
provider makes a fixed number of queries however many runs the person is in (filter by
`board.runs_with(...)` in one query, never a query per run).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from types import ModuleType

from django.http import HttpRequest

from cohortkit.accounts.discovery import discover
from cohortkit.accounts.models import User
from cohortkit.courses.models import Phase, Role, Run, RunRole

ME = "me"  # what is next for the person
STAFF = "staff"  # what needs them as staff


@dataclass(frozen=True)
class Item:
    """One line of a card: a link, a note, an instant shown in the reader's zone, a count."""

    label: str
    url: str = ""
    note: str = ""
    at: datetime | None = None
    count: int | None = None
    context: str = ""  # the course and run it belongs to
    is_warning: bool = False
    action_url: str = ""  # a second link (a session's video call)
    action_label: str = ""


@dataclass(frozen=True)
class Card:
    title: str
    items: list[Item]
    section: str = ME
    order: int = 50  # smaller first
    empty: str = ""  # said when there are no items; a card without items nor this is left out
    more_url: str = ""
    more_label: str = ""


@dataclass(frozen=True)
class Membership:
    run: Run
    roles: frozenset[Role]
    phase: Phase


@dataclass
class Board:
    """The person, the instant, and their runs with roles: what every provider starts from."""

    user: User
    now: datetime
    memberships: list[Membership]
    labels: dict[int, str] = field(default_factory=dict)  # run id → "Course · Run"
    other_runs: dict[int, Run] = field(default_factory=dict)  # shown, without a role
    loaded: dict[str, object] = field(default_factory=dict)  # what `prepare` loaded, by app

    def show_runs(self, runs: Iterable[Run]) -> None:
        """Runs a card shows that are not among the person's (their texts load too)."""
        mine = {m.run.pk for m in self.memberships}
        self.other_runs.update((run.pk, run) for run in runs if run.pk not in mine)

    def all_runs(self) -> list[Run]:
        return [*(m.run for m in self.memberships), *self.other_runs.values()]

    def runs_with(self, *roles: Role, phases: Iterable[Phase] | None = None) -> list[Run]:
        """The person's runs where they hold one of `roles` (and, when given, in `phases`)."""
        wanted = frozenset(roles)
        allowed = frozenset(phases) if phases is not None else None
        return [
            m.run
            for m in self.memberships
            if m.roles & wanted and (allowed is None or m.phase in allowed)
        ]

    def roles_in(self, run: Run) -> frozenset[Role]:
        return next((m.roles for m in self.memberships if m.run.pk == run.pk), frozenset())

    def label(self, run: Run) -> str:
        """ "Course · Run" in the reader's content language (set by the translations app's
        `prepare`; the source titles otherwise)."""
        return self.labels.get(run.pk) or f"{run.course.title} · {run.title}"

    def today_in(self, run: Run) -> date:
        return self.now.astimezone(run.zone).date()


def load_board(user: User, *, at: datetime) -> Board:
    """The person's runs with their roles (one query), in-progress runs first, then by
    start (newest first)."""
    roles: dict[int, set[Role]] = {}
    runs: dict[int, Run] = {}
    for role in RunRole.objects.filter(user=user).select_related("run__course"):
        runs.setdefault(role.run_id, role.run)
        roles.setdefault(role.run_id, set()).add(Role(role.role))
    memberships = [
        Membership(run=run, roles=frozenset(roles[pk]), phase=run.phase_at(at))
        for pk, run in runs.items()
    ]
    memberships.sort(
        key=lambda m: (m.phase != Phase.IN_PROGRESS, -m.run.starts_on.toordinal(), m.run.pk)
    )
    return Board(user=user, now=at, memberships=memberships)


Provider = Callable[[HttpRequest, Board], object]


def _modules() -> tuple[ModuleType, ...]:
    """Every app's `dashboard.py`, this framework module left out."""
    return tuple(module for module in discover("dashboard") if module.__name__ != __name__)


def dashboard_cards(request: HttpRequest, board: Board) -> list[Card]:
    """Every app's cards for the board, ordered; cards with nothing to say left out."""
    for hook in ("prepare", "prepare_texts"):
        for module in _modules():
            prepare = getattr(module, hook, None)
            if prepare is not None:
                prepare(request, board)
    cards: list[Card] = []
    for module in _modules():
        provider = getattr(module, "cards", None)
        if provider is not None:
            cards.extend(provider(request, board))
    return sorted((card for card in cards if card.items or card.empty), key=lambda c: c.order)
