"""Demo wiki data, made without asking any wiki: a fictional wiki (its address is under the
reserved `.example` domain, so a read from the task worker fails quickly and shows how a
failed read looks), the runs' wikis, verified accounts with stored figures for most
applicants, and course edits by week for some participants of the run in progress (one of
them turned sharing off). The applications demo adds a wiki eligibility rule."""

import random
from datetime import datetime, timedelta

from cohortkit.accounts.models import User
from cohortkit.courses.demo import Demo
from cohortkit.wiki.models import (
    EditSharing,
    RunWikis,
    Wiki,
    WikiEdit,
    WikiFigures,
    WikiIdentity,
    WikiRead,
)

API_URL = "https://wiki.example/w/api.php"
PREFIX = "Wikipedia:Partnership Building/"
GROUPS = ["extendedconfirmed", "rollbacker", "reviewer", "sysop", "eventcoordinator"]
PAGES = ["Plan", "Partner map", "Pitch", "Logic model", "Notes", "Talk"]


def _verify(person: User, at: datetime) -> WikiIdentity:
    identity, _created = WikiIdentity.objects.get_or_create(
        person=person,
        defaults={
            "central_id": f"demo-{person.pk}",
            "username": person.wiki_username,
            "verified_at": at,
        },
    )
    return identity


def extend_demo(demo: Demo) -> None:
    wiki, _created = Wiki.objects.get_or_create(
        api_url=API_URL, defaults={"name": "Example Wikipedia (demo)"}
    )
    if RunWikis.objects.filter(run=demo.current_run).exists():
        return
    RunWikis.objects.create(run=demo.current_run, page_prefix=PREFIX).wikis.add(wiki)
    RunWikis.objects.create(run=demo.open_run).wikis.add(wiki)
    rng = random.Random(demo.seed + 16)  # noqa: S311 - reproducible fictional data
    now = demo.now
    _applicants(demo, wiki, rng, now)
    _participants(demo, wiki, rng, now)


def _applicants(demo: Demo, wiki: Wiki, rng: random.Random, now: datetime) -> None:
    """Four in five applicants verified their wiki account (applicant001 among them), with
    figures and recent edits read a few hours ago; the last read of one of them went wrong."""
    figures = []
    for index, person in enumerate(demo.applicants):
        if index % 5 == 4:
            continue
        _verify(person, now - timedelta(days=rng.randint(20, 400)))
        edits = int(rng.lognormvariate(6, 1.3))
        groups = ["autoconfirmed"]
        if edits > 500:
            groups.append("extendedconfirmed")
        if edits > 2000 and rng.random() < 0.5:
            groups.append(rng.choice(GROUPS[1:]))
        read_at = now - timedelta(hours=rng.randint(1, 20), minutes=rng.randint(0, 59))
        figures.append(
            WikiFigures(
                person=person,
                wiki=wiki,
                username=person.wiki_username,
                edit_count=edits,
                registered_at=now - timedelta(days=rng.randint(60, 15 * 365)),
                groups=sorted(set(groups)),
                read_at=read_at,
            )
        )
    WikiFigures.objects.bulk_create(figures)
    # Their recent edits (the last WIKI_RECENT_DAYS days), which the application shows too.
    recent = []
    revision = 2_000_000
    for row in figures:
        for _count in range(rng.randint(0, min(12, row.edit_count))):
            revision += rng.randint(1, 40)
            recent.append(
                WikiEdit(
                    person=row.person,
                    wiki=wiki,
                    revision_id=revision,
                    title=rng.choice(["Nairobi", "Lima", "Dhaka", "Kyiv", "Santiago"]) + " Library",
                    at=row.read_at - timedelta(days=rng.uniform(0, 80)),
                    size_change=rng.randint(-200, 2400),
                    read_at=row.read_at,
                )
            )
    WikiEdit.objects.bulk_create(recent)
    WikiRead.objects.bulk_create(
        [WikiRead(person=row.person, attempted_at=row.read_at, succeeded_at=row.read_at)
         for row in figures]
    )  # fmt: skip
    failed = figures[-1]
    WikiRead.objects.filter(person=failed.person).update(
        attempted_at=now - timedelta(minutes=30),
        problems=[f"{API_URL} did not answer within 10 seconds."],
    )


def _participants(demo: Demo, wiki: Wiki, rng: random.Random, now: datetime) -> None:
    """Eight participants of the run in progress verified their account; their course edits
    (and a few outside the course's pages) are stored week by week, read an hour ago."""
    run = demo.current_run
    read_at = now - timedelta(hours=1)
    edits = []
    revision = 1_000_000
    for person in demo.participants[:8]:
        _verify(person, run.starts_at - timedelta(days=rng.randint(10, 40)))
        days = max(1, (min(now, run.ends_at) - run.starts_at).days)
        for _count in range(rng.randint(2, 14)):
            revision += rng.randint(1, 40)
            at = run.starts_at + timedelta(days=rng.uniform(0, days))
            if at >= read_at:
                continue
            in_course = rng.random() < 0.8
            title = (
                f"{PREFIX}{person.wiki_username}/{rng.choice(PAGES)}"
                if in_course
                else f"{rng.choice(['Nairobi', 'Lima', 'Dhaka', 'Kyiv'])} Public Library"
            )
            edits.append(
                WikiEdit(
                    person=person,
                    wiki=wiki,
                    revision_id=revision,
                    title=title,
                    at=at,
                    size_change=rng.randint(-200, 2400),
                    read_at=read_at,
                )
            )
    WikiEdit.objects.bulk_create(edits)
    EditSharing.objects.create(
        run=run, person=demo.participants[7], is_shared=False, changed_at=run.starts_at
    )
    WikiRead.objects.create(run=run, attempted_at=read_at, succeeded_at=read_at)
