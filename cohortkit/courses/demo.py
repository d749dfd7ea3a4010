"""The demo: the reference course "Partnership Building" with fictional people.

`cohortkit demo` calls `load_demo()`, which is idempotent: it creates what is missing and
leaves the rest alone. Other apps extend the demo with a module `<app>/demo.py` defining
`extend_demo(demo: Demo) -> None`; they are called in INSTALLED_APPS order.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cohortkit.accounts.discovery import discover
from cohortkit.accounts.models import Region, User
from cohortkit.courses.models import Course, Module, Role, Run, RunRole, Topic

DEMO_PASSWORD = "demo-password-2021"  # noqa: S105 - fictional demo accounts, printed by ./run
SLUG = "partnership-building"

OUTLINE: list[tuple[str, list[str]]] = [
    ("Introduction", ["Introductions and sharing of the cohort's experience"]),
    ("What are partnerships?", ["What a partnership is", "Why build partnerships"]),
    (
        "Preparing to partner",
        [
            "Know yourself",
            "Present yourself",
            "Study your environment and identify prospective partners",
            "Study your prospective partner and evaluate alignment",
            "Identify and articulate the partnership value proposal",
            "Develop a theory of change and logic models",
            "Develop your partnership pitch",
        ],
    ),
    (
        "Negotiating partnerships",
        ["The first meeting or conversation", "Agreeing to partner, or not"],
    ),
    (
        "Running partnerships",
        ["Deriving actions from the partnership agreement", "Sharing reality between partners"],
    ),
    (
        "Sustainability and evaluation",
        ["Evaluating a partnership", "Sustaining and refining", "Ending a partnership"],
    ),
    ("Troubleshooting", ["Dealing with setbacks"]),
    ("Final presentation and peer review", ["Integrating it all"]),
]

# (IANA zone, region): half-hour and 45-minute offsets, both hemispheres, with and without DST.
ZONES: list[tuple[str, str]] = [
    ("Africa/Lagos", Region.AFRICA),
    ("Africa/Nairobi", Region.AFRICA),
    ("Africa/Johannesburg", Region.AFRICA),
    ("Africa/Accra", Region.AFRICA),
    ("Africa/Kinshasa", Region.AFRICA),
    ("Africa/Cairo", Region.MIDDLE_EAST),
    ("Asia/Tehran", Region.MIDDLE_EAST),
    ("Asia/Beirut", Region.MIDDLE_EAST),
    ("Asia/Amman", Region.MIDDLE_EAST),
    ("Asia/Kolkata", Region.ASIA_PACIFIC),
    ("Asia/Kathmandu", Region.ASIA_PACIFIC),
    ("Asia/Dhaka", Region.ASIA_PACIFIC),
    ("Asia/Yangon", Region.ASIA_PACIFIC),
    ("Asia/Jakarta", Region.ASIA_PACIFIC),
    ("Asia/Manila", Region.ASIA_PACIFIC),
    ("Asia/Tokyo", Region.ASIA_PACIFIC),
    ("Australia/Adelaide", Region.ASIA_PACIFIC),
    ("Australia/Eucla", Region.ASIA_PACIFIC),
    ("Australia/Sydney", Region.ASIA_PACIFIC),
    ("Pacific/Auckland", Region.ASIA_PACIFIC),
    ("Pacific/Chatham", Region.ASIA_PACIFIC),
    ("Europe/London", Region.EUROPE),
    ("Europe/Berlin", Region.EUROPE),
    ("Europe/Kyiv", Region.EUROPE),
    ("Europe/Madrid", Region.EUROPE),
    ("America/St_Johns", Region.NORTH_AMERICA),
    ("America/New_York", Region.NORTH_AMERICA),
    ("America/Chicago", Region.NORTH_AMERICA),
    ("America/Los_Angeles", Region.NORTH_AMERICA),
    ("America/Mexico_City", Region.LATIN_AMERICA),
    ("America/Bogota", Region.LATIN_AMERICA),
    ("America/Caracas", Region.LATIN_AMERICA),
    ("America/Santiago", Region.LATIN_AMERICA),
    ("America/Sao_Paulo", Region.LATIN_AMERICA),
    ("America/Argentina/Buenos_Aires", Region.LATIN_AMERICA),
]

FIRST_NAMES = [
    "Ada", "Bola", "Chen", "Dara", "Emeka", "Fatima", "Gabriel", "Hana", "Ines", "Jomo",
    "Kavya", "Leila", "Mateo", "Nadia", "Oluwaseun", "Priya", "Quentin", "Rania", "Sipho",
    "Tariq", "Uma", "Valentina", "Wanjiru", "Xiomara", "Yusuf", "Zanele", "Aroha", "Bilal",
    "Camila", "Dmytro",
]  # fmt: skip
LAST_NAMES = ["Example", "Sample", "Placeholder", "Fictional"]
COMMUNITIES = [
    "Wiki Club Lagos", "Usuarios Andinos", "Kathmandu Readers", "Pacific Editors",
    "Nile Knowledge", "Berlin Archive Friends", "Prairie Wikimedians", "Sydney Open Culture",
    "Dhaka Digital", "Santiago Libre",
]  # fmt: skip
LANGUAGES = ["en", "es", "fr", "ar", "pt", "hi", "sw", "id", "de", "ru"]


@dataclass
class Demo:
    """What the demo made, handed to each app's `extend_demo`."""

    course: Course
    completed_run: Run
    current_run: Run
    open_run: Run
    coordinator: User
    facilitators: list[User]
    reviewers: list[User]
    translator: User
    alumni: list[User]
    participants: list[User]
    applicants: list[User]
    now: datetime
    seed: int = 2021
    created: dict[str, int] = field(default_factory=dict)


def _at(day: date, hour: int, minute: int = 0, zone: str = "UTC") -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _person(email: str, name: str, **profile: object) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, username=email, display_name=name, **profile)
        user.email_verified_at = datetime(2020, 12, 1, tzinfo=UTC)
        # One hash shared by every demo account: hashing ~200 times would take a minute.
        user.password = _demo_password_hash()
        user.save()
    return user


@cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def _topic_body(module: str, topic: str) -> str:
    return (
        f"## {topic}\n\n"
        f"This topic belongs to the module *{module}*. Read it at your own pace; it takes "
        "about forty minutes, and the exercise at the end about twenty more.\n\n"
        "Think about a group you volunteer with. Write down:\n\n"
        "- what your group wants to achieve in the next year;\n"
        "- who outside the group could help, and why they would want to;\n"
        "- one question you would like to ask the cohort.\n\n"
        "Bring your notes to the weekly live session, or share them on the "
        "[talk page](#questions) if you cannot attend.\n"
    )


def _outline(run: Run) -> None:
    for position, (title, topics) in enumerate(OUTLINE, start=1):
        module, _ = Module.objects.get_or_create(
            run=run,
            position=position,
            defaults={
                "title": title,
                "release_week": position - 1,
                "summary": f"Week {position}: {title.lower().rstrip('?')}.",
            },
        )
        for index, topic in enumerate(topics, start=1):
            Topic.objects.get_or_create(
                module=module,
                position=index,
                defaults={"title": topic, "body": _topic_body(title, topic)},
            )


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _role(run: Run, user: User, role: Role) -> None:
    RunRole.objects.get_or_create(run=run, user=user, role=role)


@transaction.atomic
def load_demo(*, now: datetime | None = None) -> Demo:
    now = now or timezone.now()
    today = now.date()
    course, _ = Course.objects.get_or_create(
        slug=SLUG,
        defaults={
            "title": "Partnership Building",
            "summary": (
                "An intensive eight-week course on finding, negotiating, running and "
                "evaluating partnerships with organisations outside the movement."
            ),
            "description": (
                "A pilot of online learning for volunteers of a global wiki movement. "
                "Each week combines self-guided modules with a two-hour live session, and "
                "office hours during the week. The course ends with a final presentation "
                "reviewed by peers, and a certificate for those who complete it. Course "
                "materials are translatable, and after the live cohort the same material "
                "stays open for self-guided study. If you cannot continue, the team helps "
                "you find a way to complete the material later."
            ),
            "audience": (
                "Volunteers with intermediate experience contributing to wiki projects and "
                "little or no experience of building partnerships with outside "
                "organisations, comfortable writing and speaking in English."
            ),
            "language": "en",
            "weekly_hours": Decimal("6"),
            "workload_note": "self-guided work plus a weekly two-hour live session",
            "contact_email": "partnerships-course@example.org",
            "is_published": True,
        },
    )
    Course.objects.get_or_create(
        slug="addressing-harassment",
        defaults={
            "title": "Identifying and Addressing Harassment Online",
            "summary": (
                "A sibling course on recognising and responding to harassment, for "
                "volunteers with advanced user rights."
            ),
            "audience": "Volunteers with advanced user rights on a wiki project.",
            "language": "en",
            "weekly_hours": Decimal("2.5"),
            "workload_note": "2 to 3 hours a week",
            "contact_email": "harassment-course@example.org",
            "is_published": True,
        },
    )

    completed, _ = Run.objects.get_or_create(
        course=course,
        slug="2021",
        defaults={
            "title": "2021",
            "timezone": "UTC",
            "capacity": 40,
            "applications_open_at": _at(date(2020, 12, 15), 0),
            "applications_close_at": _at(date(2021, 1, 14), 23, 59),
            "notification_at": _at(date(2021, 1, 18), 12),
            "onboarding_at": _at(date(2021, 1, 25), 15),
            "starts_on": date(2021, 2, 1),
            "weeks": 8,
            "is_self_paced": True,
        },
    )
    current_start = _monday_on_or_after(today - timedelta(days=27))
    current, _ = Run.objects.get_or_create(
        course=course,
        slug="autumn-2026",
        defaults={
            "title": "Autumn 2026",
            "timezone": "UTC",
            "capacity": 40,
            "applications_open_at": _at(current_start - timedelta(days=60), 0),
            "applications_close_at": _at(current_start - timedelta(days=30), 23, 59),
            "notification_at": _at(current_start - timedelta(days=26), 12),
            "onboarding_at": _at(current_start - timedelta(days=7), 15),
            "starts_on": current_start,
            "weeks": 8,
        },
    )
    open_close = today + timedelta(days=20)
    open_start = _monday_on_or_after(open_close + timedelta(days=14))
    open_run, _ = Run.objects.get_or_create(
        course=course,
        slug="2027",
        defaults={
            "title": "2027",
            "timezone": "UTC",
            "capacity": 40,
            "applications_open_at": _at(today - timedelta(days=10), 0),
            "applications_close_at": _at(open_close, 23, 59),
            "notification_at": _at(open_close + timedelta(days=4), 12),
            "onboarding_at": _at(open_start - timedelta(days=7), 15),
            "starts_on": open_start,
            "weeks": 8,
        },
    )
    for run in (completed, current, open_run):
        _outline(run)

    coordinator = _person(
        "coordinator@example.org", "Amara Coordinator", timezone="Africa/Nairobi",
        region=Region.AFRICA, languages=["en", "sw"], is_staff=True,
    )  # fmt: skip
    facilitators = [
        _person("facilitator@example.org", "Diego Facilitator", timezone="America/Bogota",
                region=Region.LATIN_AMERICA, languages=["es", "en"]),
        _person("facilitator2@example.org", "Mei Facilitator", timezone="Asia/Manila",
                region=Region.ASIA_PACIFIC, languages=["en", "tl"]),
    ]  # fmt: skip
    reviewers = [
        _person(
            f"reviewer{i}@example.org",
            f"{name} Reviewer",
            timezone=zone,
            region=region,
            languages=["en"],
            home_community=community,
        )
        for i, (name, zone, region, community) in enumerate(
            [
                ("Ingrid", "Europe/Berlin", Region.EUROPE, "Berlin Archive Friends"),
                ("Kwame", "Africa/Accra", Region.AFRICA, "Wiki Club Lagos"),
                ("Ravi", "Asia/Kolkata", Region.ASIA_PACIFIC, "Dhaka Digital"),
                ("Lucía", "America/Santiago", Region.LATIN_AMERICA, "Santiago Libre"),
            ],
            start=1,
        )
    ]
    translator = _person(
        "translator@example.org", "Samira Translator", timezone="Africa/Cairo",
        region=Region.MIDDLE_EAST, languages=["ar", "en", "fr"],
    )  # fmt: skip

    rng = random.Random(2021)  # noqa: S311 - reproducible fictional data, not security

    def people(prefix: str, count: int, offset: int) -> list[User]:
        made = []
        for i in range(count):
            zone, region = ZONES[(i + offset) % len(ZONES)]
            first = FIRST_NAMES[(i + offset) % len(FIRST_NAMES)]
            last = LAST_NAMES[(i + offset) // len(FIRST_NAMES) % len(LAST_NAMES)]
            made.append(
                _person(
                    f"{prefix}{i + 1:03d}@example.org",
                    f"{first} {last} {prefix.capitalize()} {i + 1}",
                    timezone=zone,
                    region=region,
                    languages=sorted({"en", rng.choice(LANGUAGES)}),
                    home_community=rng.choice(COMMUNITIES),
                    wiki_username=f"{first}{prefix.capitalize()}{i + 1}",
                )
            )
        return made

    alumni = people("alumnus", 24, 3)
    participants = people("participant", 32, 7)
    applicants = people("applicant", 120, 0)

    for run in (completed, current, open_run):
        _role(run, coordinator, Role.COORDINATOR)
        _role(run, translator, Role.TRANSLATOR)
        for facilitator in facilitators:
            _role(run, facilitator, Role.FACILITATOR)
    for reviewer in reviewers:
        _role(open_run, reviewer, Role.REVIEWER)
    for alumnus in alumni:
        _role(completed, alumnus, Role.PARTICIPANT)
    for participant in participants:
        _role(current, participant, Role.PARTICIPANT)

    demo = Demo(
        course=course,
        completed_run=completed,
        current_run=current,
        open_run=open_run,
        coordinator=coordinator,
        facilitators=facilitators,
        reviewers=reviewers,
        translator=translator,
        alumni=alumni,
        participants=participants,
        applicants=applicants,
        now=now,
    )
    for module in discover("demo"):
        extend = getattr(module, "extend_demo", None)
        if extend is not None:
            extend(demo)
    return demo


DEMO_LOGINS = [
    ("coordinator", "coordinator@example.org"),
    ("facilitator", "facilitator@example.org"),
    ("reviewer", "reviewer1@example.org"),
    ("translator", "translator@example.org"),
    ("participant (in-progress run)", "participant001@example.org"),
    ("alumnus (completed 2021 run)", "alumnus001@example.org"),
    ("applicant (open run)", "applicant001@example.org"),
]
