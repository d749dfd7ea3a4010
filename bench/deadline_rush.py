"""A deadline rush on the production stack, on loopback only.

    .venv/bin/python bench/deadline_rush.py [--applicants 500] [--participants 200]
        [--spread 240] [--window 300] [--concurrency 50] [--keep]

What it starts (and stops again, whatever happens): a PostgreSQL database of its own
(`rush_db` on 127.0.0.1:5432, created and dropped), an empty Redis database (number 13 by
default, flushed at the end) for the cache and the RQ task queue, an SMTP sink (aiosmtpd) on
127.0.0.1 that receives every mail, gunicorn with 4 sync workers on 127.0.0.1 and one RQ
worker (`cohortkit rqworker --job-class django_tasks_rq.Job default`), all with production
settings: DEBUG off, a generated SECRET_KEY, static files collected into a scratch folder,
the Redis cache and django-tasks-rq.

The data: the demo course (`cohortkit demo`), a new run copied from the demo's open run
whose application window closes ``--window`` seconds after the rush starts, and the demo's
in-progress run grown to ``--participants`` participants, all in its live sessions, each
already signed in (a session made in the database, as after an earlier sign-in).

The rush: ``--applicants`` people arrive spread evenly over the first ``--spread`` seconds,
at most ``--concurrency`` at a time, and go through the real pages as a browser does: the
sign-up page, sign-up (CSRF token and cookie), the verification link taken from the mail
the RQ worker delivered to the SMTP sink, the confirm page and its button (which signs them
in), the profile page it leads to, the application form, one autosaved draft (htmx), the
submission and the page it leads to. One in twenty clicks "Sign up" twice at once and one
in twenty "Submit" twice at once, as impatient people do. Half-way through the spread, every
participant loads their schedule at the same moment (at most ``--concurrency`` requests in
flight). Four interface languages (Accept-Language), so mail is rendered in each.

The bench plays the TLS proxy in front of gunicorn: it sends `X-Forwarded-Proto: https`
and, for each applicant, its own client address in `X-Forwarded-For`, and the app runs with
`BEHIND_TLS_PROXY=true`, which is the configuration where the app trusts those headers (the
mail-sending limits per client address then count each applicant apart, as they would for
500 people on their own connections). The limits themselves are not changed.

Checks (exit status 1 when one fails): no HTTP error and no unexpected answer on any step,
no traceback in the web or worker logs and no failed task; exactly one submitted
application per applicant with their own answers, nothing else in the run; every applicant
verified; in the outbox exactly the expected mails per applicant and kind (one
verification, one confirmation of the application, and one "someone tried to sign up with
your address" for each double sign-up), all sent, and the SMTP sink received each exactly
once; every participant saw their own schedule; p99 under 1 s for every step and overall.
Prints p50/p95/p99/max per step and overall, and the time from sign-up to the verification
mail arriving.
"""

import argparse
import email
import email.policy
import ipaddress
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

if TYPE_CHECKING:
    from cohortkit.applications.models import Application

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent

HOST = "127.0.0.1"
TARGET_P99 = 1.0
LANGUAGES = ["en", "es", "fr", "ar"]
ZONES = [
    "Africa/Lagos",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/Bogota",
    "Europe/Berlin",
    "Australia/Adelaide",
    "America/St_Johns",
    "Pacific/Auckland",
]
REGIONS = ["africa", "asia-pacific", "asia-pacific", "latin-america", "europe"]
APPLICANT_DOMAIN = "rush.example.org"
PARTICIPANT_PREFIX = "rushparticipant"


# --- arguments and safety -------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=500)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--spread", type=float, default=240.0, help="seconds of arrivals")
    parser.add_argument(
        "--window", type=float, default=300.0, help="seconds from the start to the close"
    )
    parser.add_argument("--concurrency", type=int, default=50, help="requests in flight, at most")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--database", default="rush_db")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--mail-timeout", type=float, default=120.0)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if args.spread >= args.window:
        parser.error("--spread must end before --window (the close)")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", args.database):
        parser.error("--database: lower-case letters, digits and _ only")
    for url in (args.postgres,):
        if not is_loopback(urlsplit(url).hostname or ""):
            parser.error(f"{url}: the bench only talks to loopback addresses")
    return args


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# --- measurements ---------------------------------------------------------------------------


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    problems: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    def record(self, step: str, seconds: float, status: int) -> None:
        with self.lock:
            self.times[step].append(seconds)
            self.statuses[status] += 1

    def problem(self, text: str) -> None:
        with self.lock:
            if len(self.problems) < 10_000:
                self.problems.append(text)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    # Nearest rank: the smallest value with at least `fraction` of the values at or below it.
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


# --- the SMTP sink --------------------------------------------------------------------------


@dataclass
class Received:
    recipient: str
    kind: str
    message_id: str
    body: str
    at: float


class Mailbox:
    """Every message the RQ worker delivers, by recipient; applicants wait on it."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.messages: list[Received] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = parsed.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        with self.condition:
            for recipient in envelope.rcpt_tos:
                self.messages.append(
                    Received(
                        recipient=recipient.lower(),
                        kind=str(parsed.get("X-Cohortkit-Kind", "")),
                        message_id=str(parsed.get("Message-ID", "")),
                        body=text,
                        at=time.monotonic(),
                    )
                )
            self.condition.notify_all()
        return "250 OK"

    def wait_for(self, recipient: str, kind: str, timeout: float) -> Received | None:
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                for message in self.messages:
                    if message.recipient == recipient and message.kind == kind:
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.condition.wait(left)


# --- a browser ------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One person's cookies and client address; plain HTTP to gunicorn, as from the proxy."""

    def __init__(self, port: int, stats: Stats, *, address: str, language: str, who: str) -> None:
        self.port = port
        self.stats = stats
        self.address = address
        self.language = language
        self.who = who
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()

    def request(
        self,
        step: str,
        method: str,
        path: str,
        data: list[tuple[str, str]] | None = None,
        *,
        expect: int | tuple[int, ...] = 200,
        extra: dict[str, str] | None = None,
    ) -> Answer | None:
        origin = f"https://{HOST}:{self.port}"
        with self.lock:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Accept-Language": self.language,
            "User-Agent": "cohortkit-deadline-rush",
            **({"Cookie": cookie} if cookie else {}),
            **(extra or {}),
        }
        payload = None
        if data is not None:
            payload = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = origin
            headers["Referer"] = origin + path
        started = time.perf_counter()
        connection = HTTPConnection(HOST, self.port, timeout=60)
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            elapsed = time.perf_counter() - started
            cookies = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookies.load(header)
            answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
        except OSError as error:
            self.stats.record(step, time.perf_counter() - started, 0)
            self.stats.problem(f"{self.who} {step}: {type(error).__name__}: {error}")
            return None
        finally:
            connection.close()
        with self.lock:
            for name, morsel in cookies.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        self.stats.record(step, elapsed, answer.status)
        wanted = (expect,) if isinstance(expect, int) else expect
        if answer.status not in wanted:
            snippet = page_errors(answer.body)
            self.stats.problem(
                f"{self.who} {step}: HTTP {answer.status} (expected {wanted}): {snippet}"
            )
            return None
        return answer


ERROR_LIST = re.compile(r'<ul class="errorlist[^"]*"(?: id="([^"]+)")?>(.*?)</ul>', re.S)


def page_errors(body: str) -> str:
    """The form errors a page shows (with the field they belong to), else its first words."""
    errors = [
        f"{field or 'form'}: {' '.join(re.sub(r'<[^>]+>', ' ', text).split())}"
        for field, text in ERROR_LIST.findall(body)
    ]
    if errors:
        return "; ".join(errors)[:300]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())[:200]


def csrf_token(answer: Answer) -> str:
    found = CSRF_FIELD.search(answer.body)
    return found.group(1) if found else ""


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together: a double click."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --- the people -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rush:
    port: int
    stats: Stats
    mailbox: Mailbox
    apply_path: str
    questions: dict[str, tuple[str, list[str]]]  # key → (kind, options)
    mail_timeout: float
    mail_delays: list[float]


def applicant_email(number: int) -> str:
    return f"applicant{number:04d}@{APPLICANT_DOMAIN}"


def double_signup(number: int) -> bool:
    return number % 20 == 7


def double_submit(number: int) -> bool:
    return number % 20 == 13


def applicant_address(number: int) -> str:
    # Private addresses, written in a header only: nothing ever connects to them.
    return f"10.77.{number // 250}.{number % 250 + 1}"


def answers(rush: Rush, number: int) -> list[tuple[str, str]]:
    zone = ZONES[number % len(ZONES)]
    data = [
        ("timezone", zone),
        ("languages", "en"),
        ("languages", LANGUAGES[number % len(LANGUAGES)]),
        ("wiki_username", f"RushApplicant{number}"),
        ("home_community", f"Rush Community {number % 17}"),
        ("region", REGIONS[number % len(REGIONS)]),
        ("experience", ["new", "intermediate", "advanced"][number % 3]),
        ("consent", "on"),
    ]
    for key, (kind, options) in rush.questions.items():
        if kind == "long" or kind == "short":
            data.append((key, f"Applicant {number} of the rush wants to build a partnership."))
        elif kind in {"choice", "multiple"}:
            data.append((key, options[number % len(options)]))
        elif kind == "yes-no":
            data.append((key, "yes" if number % 2 else "no"))
        elif kind == "url":
            data.append((key, f"https://example.org/rush/{number}"))
        elif kind == "number":
            data.append((key, str(number % 10)))
        else:
            raise SystemExit(f"the bench does not know how to answer a {kind!r} question")
    return data


def click(call: Callable[[], Answer | None], *, twice: bool) -> Answer | None:
    """One click, or two at once when `twice` (a double click): the first answer, or None
    when any of them went wrong."""
    if not twice:
        return call()
    done = at_once(call, call)
    if any(answer is None for answer in done):
        return None
    return done[0]


def sign_up(browser: Browser, number: int) -> float | None:
    """The sign-up page and its form sent (twice at once for some): when it was sent, or
    None when a step went wrong."""
    page = browser.request("sign-up page", "GET", "/accounts/signup/")
    if page is None:
        return None
    password = f"rush-{secrets.token_urlsafe(12)}"
    form = [
        ("csrfmiddlewaretoken", csrf_token(page)),
        ("display_name", f"Rush Applicant {number}"),
        ("email", applicant_email(number)),
        ("timezone", ZONES[number % len(ZONES)]),
        ("password1", password),
        ("password2", password),
    ]
    signed_up = time.monotonic()

    def send() -> Answer | None:
        return browser.request("sign-up", "POST", "/accounts/signup/", form)

    if click(send, twice=double_signup(number)) is None:
        return None
    return signed_up


def verification_link(rush: Rush, number: int, signed_up: float) -> str | None:
    """The path of the link in the verification mail, once it arrives; None when it does not."""
    who = f"applicant {number}"
    message = rush.mailbox.wait_for(applicant_email(number), "verify-email", rush.mail_timeout)
    if message is None:
        rush.stats.problem(f"{who}: no verification mail within {rush.mail_timeout:.0f} s")
        return None
    with rush.stats.lock:
        rush.mail_delays.append(message.at - signed_up)
    link = re.search(r"https?://\S+?(/accounts/verify/[^/\s]+/)", message.body)
    if link is None:
        rush.stats.problem(f"{who}: no link in the verification mail")
        return None
    return link.group(1)


def verify(browser: Browser, path: str) -> bool:
    """The verification page, its button (which signs in) and the profile it leads to."""
    confirm = browser.request("verification page", "GET", path)
    if confirm is None:
        return False
    verified = browser.request(
        "verify", "POST", path, [("csrfmiddlewaretoken", csrf_token(confirm))], expect=302
    )
    if verified is None:
        return False
    return browser.request("profile (after verifying)", "GET", verified.location()) is not None


def apply(rush: Rush, browser: Browser, number: int) -> None:
    """The application form, one autosaved draft, the submission (twice at once for some)
    and the page it leads to."""
    apply_page = browser.request("application form", "GET", rush.apply_path)
    if apply_page is None:
        return
    data = [("csrfmiddlewaretoken", csrf_token(apply_page)), *answers(rush, number)]
    draft = browser.request(
        "draft autosave (htmx)",
        "POST",
        rush.apply_path + "draft/",
        data[: len(data) // 2],
        extra={"HX-Request": "true"},
    )
    if draft is None:
        return

    def submit() -> Answer | None:
        return browser.request("submit", "POST", rush.apply_path, data, expect=302)

    submitted = click(submit, twice=double_submit(number))
    if submitted is None:
        return
    after = browser.request("application (after submitting)", "GET", submitted.location())
    if after is not None and "badge state-submitted" not in after.body:
        rush.stats.problem(
            f"applicant {number}: the page after submitting does not say it is submitted"
        )


def applicant(rush: Rush, number: int) -> None:
    """One applicant from the sign-up page to their submitted application."""
    browser = Browser(
        rush.port,
        rush.stats,
        address=applicant_address(number),
        language=LANGUAGES[number % 4],
        who=f"applicant {number}",
    )
    signed_up = sign_up(browser, number)
    if signed_up is None:
        return
    path = verification_link(rush, number, signed_up)
    if path is None or not verify(browser, path):
        return
    apply(rush, browser, number)


def participant(port: int, stats: Stats, schedule_path: str, who: str, cookie: str) -> None:
    browser = Browser(port, stats, address="10.88.0.1", language="en", who=who)
    browser.cookies["sessionid"] = cookie
    answer = browser.request("schedule (200 participants at once)", "GET", schedule_path)
    if answer is not None and "<time" not in answer.body:
        stats.problem(f"{who}: the schedule lists no meeting")


# --- setting up -----------------------------------------------------------------------------


def production_environment(args: argparse.Namespace, scratch: Path, smtp_port: int, port: int):
    database_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    return {
        "DJANGO_SETTINGS_MODULE": "cohortkit.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}:{port}",
        "BEHIND_TLS_PROXY": "true",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "MAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SMTP_HOST": HOST,
        "SMTP_PORT": str(smtp_port),
        "SMTP_TLS": "false",
        "COHORTKIT_VAR_DIR": str(scratch / "var"),
        "STATIC_ROOT": str(scratch / "static"),
        "MEDIA_ROOT": str(scratch / "media"),
        "LOG_LEVEL": "WARNING",
        "OPENBLAS_NUM_THREADS": "1",
    }


@contextmanager
def database(args: argparse.Namespace) -> Iterator[None]:
    import psycopg  # noqa: PLC0415 — only the bench talks to the server directly

    def admin(statement: str) -> None:
        with psycopg.connect(args.postgres, autocommit=True) as connection:
            connection.execute(statement)

    admin(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    admin(f"CREATE DATABASE {args.database}")
    try:
        yield
    finally:
        if not args.keep:
            from django.db import connections  # noqa: PLC0415 — Django is set up by now

            connections.close_all()
            admin(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")


@contextmanager
def redis_database(number: int) -> Iterator[None]:
    import redis  # noqa: PLC0415 — only the bench talks to the server directly

    client = redis.Redis(host=HOST, port=6379, db=number)
    marker = "cohortkit:bench:deadline-rush"
    if client.dbsize() and not client.exists(marker):
        raise SystemExit(
            f"Redis database {number} is in use by something else; choose another with --redis-db"
        )
    client.flushdb()
    client.set(marker, "1")
    try:
        yield
    finally:
        client.flushdb()


def forget_demo_mail(redis_db: int) -> int:
    """The demo queues mail to its own people (reminders, notices): out of the rush, so it is
    deleted from the outbox and its sending tasks from the queue before anything starts."""
    import redis  # noqa: PLC0415 — only the bench talks to the server directly

    from cohortkit.notifications.models import OutboxMessage  # noqa: PLC0415 — Django is set up in main(), after the environment

    deleted, _ = OutboxMessage.objects.all().delete()
    client = redis.Redis(host=HOST, port=6379, db=redis_db)
    for key in client.scan_iter("rq:*"):
        client.delete(key)
    return deleted


@contextmanager
def smtp_sink(mailbox: Mailbox) -> Iterator[int]:
    from aiosmtpd.controller import Controller  # noqa: PLC0415 — a dev dependency

    port = free_port()
    controller = Controller(mailbox, hostname=HOST, port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@contextmanager
def process(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("w") as output:
        started = subprocess.Popen(  # noqa: S603 — our own programs from .venv/bin
            command,
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield started
    finally:
        if started.poll() is None:
            os.killpg(started.pid, signal.SIGTERM)
            try:
                started.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(started.pid, signal.SIGKILL)
                started.wait()


def wait_until_serving(port: int, web: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if web.poll() is not None:
            raise SystemExit("gunicorn exited before serving; see its log")
        with suppress(OSError):
            connection = HTTPConnection(HOST, port, timeout=5)
            connection.request(
                "GET",
                "/accounts/login/",
                headers={"Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https"},
            )
            if connection.getresponse().status == 200:
                return
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within a minute")


@dataclass
class Seeded:
    apply_path: str
    schedule_path: str
    questions: dict[str, tuple[str, list[str]]]
    participant_cookies: dict[str, str]
    rush_run_id: int


def seed(args: argparse.Namespace) -> Seeded:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: PLC0415 — Django is set up in main(), after the environment
    from django.contrib.auth.hashers import make_password  # noqa: PLC0415 — Django is set up in main(), after the environment
    from django.contrib.sessions.backends.db import SessionStore  # noqa: PLC0415 — Django is set up in main(), after the environment
    from django.db import transaction  # noqa: PLC0415 — Django is set up in main(), after the environment
    from django.urls import reverse  # noqa: PLC0415 — Django is set up in main(), after the environment
    from django.utils import timezone  # noqa: PLC0415 — Django is set up in main(), after the environment

    from cohortkit.accounts.models import User  # noqa: PLC0415 — Django is set up in main(), after the environment
    from cohortkit.applications.models import Question  # noqa: PLC0415 — Django is set up in main(), after the environment
    from cohortkit.courses.demo import load_demo  # noqa: PLC0415 — Django is set up in main(), after the environment
    from cohortkit.courses.models import Role, RunRole  # noqa: PLC0415 — Django is set up in main(), after the environment
    from cohortkit.courses.services import create_run  # noqa: PLC0415 — Django is set up in main(), after the environment
    from cohortkit.scheduling.models import Session, SessionKind  # noqa: PLC0415 — Django is set up in main(), after the environment

    now = timezone.now()
    demo = load_demo(now=now)
    open_run = demo.open_run
    # Closed for real only once the rush starts (see `open_window`); till then a day away.
    rush = create_run(
        demo.course,
        title="Deadline rush",
        slug="deadline-rush",
        timezone="UTC",
        capacity=40,
        applications_open_at=now - timedelta(days=30),
        applications_close_at=now + timedelta(days=1),
        notification_at=now + timedelta(days=5),
        onboarding_at=now + timedelta(days=12),
        starts_on=(now + timedelta(days=19)).date(),
        weeks=8,
        copy_from=open_run,
        by=demo.coordinator,
    )
    questions = {
        question.key: (str(question.kind), question.option_list())
        for question in Question.objects.filter(form__run=rush).order_by("position")
    }
    current = demo.current_run
    present = list(
        User.objects.filter(run_roles__run=current, run_roles__role=Role.PARTICIPANT).distinct()
    )
    missing = max(0, args.participants - len(present))
    weekly = list(Session.objects.filter(run=current, kind=SessionKind.WEEKLY).order_by("pk"))
    password = make_password(secrets.token_urlsafe(16))  # one hash for all: they never type it
    with transaction.atomic():
        made = User.objects.bulk_create(
            User(
                email=f"{PARTICIPANT_PREFIX}{i:03d}@example.org",
                username=f"{PARTICIPANT_PREFIX}{i:03d}@example.org",
                display_name=f"Rush Participant {i}",
                timezone=ZONES[i % len(ZONES)],
                email_verified_at=now,
                password=password,
                languages=["en"],
            )
            for i in range(1, missing + 1)
        )
        RunRole.objects.bulk_create(
            RunRole(run=current, user=person, role=Role.PARTICIPANT) for person in made
        )
        for index, person in enumerate(made):
            if weekly:
                weekly[index % len(weekly)].members.add(person)
    people = (present + made)[: args.participants]
    cookies = {}
    for person in people:
        store = SessionStore()
        store[SESSION_KEY] = str(person.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = person.get_session_auth_hash()
        store.create()
        cookies[person.email] = str(store.session_key)
    return Seeded(
        apply_path=reverse(
            "applications:apply", kwargs={"slug": rush.course.slug, "run": rush.slug}
        ),
        schedule_path=reverse(
            "scheduling:schedule", kwargs={"slug": current.course.slug, "run": current.slug}
        ),
        questions=questions,
        participant_cookies=cookies,
        rush_run_id=rush.pk,
    )


def open_window(run_id: int, window: float) -> datetime:
    """The rush run closes `window` seconds from now (saved through the model, as an edit)."""
    from django.utils import timezone  # noqa: PLC0415 — Django is set up in main(), after the environment

    from cohortkit.courses.models import Run  # noqa: PLC0415 — Django is set up in main(), after the environment

    run = Run.objects.get(pk=run_id)
    run.applications_close_at = timezone.now() + timedelta(seconds=window)
    run.save()
    return run.applications_close_at


# --- the rush -------------------------------------------------------------------------------


def drive(args: argparse.Namespace, port: int, seeded: Seeded, mailbox: Mailbox, stats: Stats):
    rush = Rush(
        port=port,
        stats=stats,
        mailbox=mailbox,
        apply_path=seeded.apply_path,
        questions=seeded.questions,
        mail_timeout=args.mail_timeout,
        mail_delays=[],
    )
    started = time.monotonic()
    burst_at = started + args.spread / 2
    burst: dict[str, float] = {}
    with (
        ThreadPoolExecutor(args.concurrency, thread_name_prefix="applicant") as applicants,
        ThreadPoolExecutor(args.concurrency, thread_name_prefix="participant") as participants,
    ):
        futures = []
        burst_done = False
        for number in range(1, args.applicants + 1):
            arrival = started + args.spread * (number - 1) / max(1, args.applicants)
            if not burst_done and arrival >= burst_at:
                burst_done = True
                futures += release_participants(participants, port, stats, seeded, burst)
            time.sleep(max(0.0, arrival - time.monotonic()))
            futures.append(applicants.submit(applicant, rush, number))
        if not burst_done:
            futures += release_participants(participants, port, stats, seeded, burst)
        for future in futures:
            future.result()
    burst["end"] = max(burst.get("end", 0.0), 0.0)
    return rush.mail_delays, time.monotonic() - started, burst


def release_participants(
    pool: ThreadPoolExecutor, port: int, stats: Stats, seeded: Seeded, burst: dict[str, float]
) -> list[Any]:
    burst["start"] = time.monotonic()

    def one(who: str, cookie: str) -> None:
        participant(port, stats, seeded.schedule_path, who, cookie)
        with stats.lock:
            burst["end"] = max(burst.get("end", 0.0), time.monotonic())

    return [pool.submit(one, who, cookie) for who, cookie in seeded.participant_cookies.items()]


# --- checks ---------------------------------------------------------------------------------


def wait_for_mail(expected: int, timeout: float) -> int:
    from django.db import close_old_connections  # noqa: PLC0415 — Django is set up in main(), after the environment

    from cohortkit.notifications.models import MailState, OutboxMessage  # noqa: PLC0415 — Django is set up in main(), after the environment

    deadline = time.monotonic() + timeout
    while True:
        close_old_connections()
        pending = OutboxMessage.objects.exclude(state__in=[MailState.SENT, MailState.FAILED])
        if not pending.exists() and OutboxMessage.objects.count() >= expected:
            return 0
        if time.monotonic() > deadline:
            return pending.count()
        time.sleep(1)


def applicant_number(address: str) -> int:
    return int(address[len("applicant") :].split("@")[0])


def expected_mail(applicants: int) -> Counter[tuple[str, str]]:
    """The mails each applicant gets, by address and kind: one verification, one
    confirmation of the application, and one "someone tried to sign up with your address"
    for a double sign-up."""
    expected: Counter[tuple[str, str]] = Counter()
    for number in range(1, applicants + 1):
        address = applicant_email(number)
        expected[(address, "verify-email")] += 1
        expected[(address, "application-submitted")] += 1
        if double_signup(number):
            expected[(address, "signup-existing")] += 1
    return expected


def check_accounts(emails: set[str]) -> list[str]:
    """Every applicant has an account, verified, and nobody else signed up."""
    from cohortkit.accounts.models import User  # noqa: PLC0415 — Django is set up in main(), after the environment

    failures = []
    people = User.objects.filter(email__endswith="@" + APPLICANT_DOMAIN)
    found = set(people.values_list("email", flat=True))
    if found != emails:
        failures.append(f"accounts: {len(found)} of {len(emails)}, {len(found - emails)} unknown")
    unverified = people.filter(email_verified_at__isnull=True).count()
    if unverified:
        failures.append(f"accounts: {unverified} not verified")
    return failures


def is_own_application(application: "Application", close_at: datetime) -> bool:
    """The application holds its applicant's own answers, consent, and was submitted in time."""
    number = applicant_number(application.applicant.email)
    texts = " ".join(str(v) for v in application.answers.values())
    return (
        f"Applicant {number} of the rush" in texts
        and application.wiki_username == f"RushApplicant{number}"
        and application.consent_at is not None
        and application.submitted_at is not None
        and application.submitted_at < close_at
    )


def check_applications(emails: set[str], run_id: int, close_at: datetime) -> list[str]:
    """Exactly one submitted application per applicant, with their own answers, and none
    from anyone else."""
    from cohortkit.applications.models import Application  # noqa: PLC0415 — Django is set up in main(), after the environment

    failures = []
    applications = Application.objects.filter(run_id=run_id).select_related("applicant")
    by_person = Counter(a.applicant.email for a in applications)
    submitted = [a for a in applications if a.state == "submitted"]
    duplicated = [mail for mail, n in by_person.items() if n > 1]
    lost = emails - {a.applicant.email for a in submitted}
    strangers = [a for a in applications if a.applicant.email not in emails]
    if len(submitted) != len(emails) or duplicated or lost or strangers:
        failures.append(
            f"applications: {len(submitted)} submitted of {len(emails)} "
            f"({len(lost)} lost, {len(duplicated)} duplicated, {len(strangers)} strangers)"
        )
    wrong = [
        applicant_number(a.applicant.email)
        for a in submitted
        if not is_own_application(a, close_at)
    ]
    if wrong:
        failures.append(f"applications: {len(wrong)} with answers not their own, e.g. {wrong[:5]}")
    if submitted:
        last = max(a.submitted_at for a in submitted if a.submitted_at is not None)
        print(
            f"applications: {len(submitted)} submitted, the last "
            f"{(close_at - last).total_seconds():.0f} s before the close"
        )
    return failures


def check_outbox(expected: Counter[tuple[str, str]]) -> list[str]:
    """The outbox holds exactly the expected mails, all sent, and none to anyone else."""
    from cohortkit.notifications.models import MailState, OutboxMessage  # noqa: PLC0415 — Django is set up in main(), after the environment

    failures = []
    outbox = list(OutboxMessage.objects.values_list("recipient", "kind", "state", "pk"))
    mine = [row for row in outbox if row[0].lower().endswith("@" + APPLICANT_DOMAIN)]
    stray = len(outbox) - len(mine)
    if stray:
        failures.append(f"outbox: {stray} messages to people who are not applicants of the rush")
    stored = Counter((r.lower(), kind) for r, kind, _state, _pk in mine)
    if stored != expected:
        missing = expected - stored
        extra = stored - expected
        failures.append(
            f"outbox: {sum(missing.values())} missing, {sum(extra.values())} extra "
            f"(e.g. {list((missing or extra).items())[:3]})"
        )
    not_sent = Counter(state for _r, _k, state, _pk in mine if state != MailState.SENT)
    if not_sent:
        failures.append(f"outbox: not sent {dict(not_sent)}")
    return failures


def check_delivered(expected: Counter[tuple[str, str]], mailbox: Mailbox) -> list[str]:
    """The SMTP sink received each expected mail exactly once."""
    failures = []
    delivered = Counter((m.recipient, m.kind) for m in mailbox.messages)
    if delivered != expected:
        failures.append(
            f"SMTP: {sum((expected - delivered).values())} missing, "
            f"{sum((delivered - expected).values())} extra or duplicated"
        )
    ids = Counter(m.message_id for m in mailbox.messages)
    if any(n > 1 for n in ids.values()):
        failures.append("SMTP: the same Message-ID delivered twice")
    return failures


def check(
    args: argparse.Namespace, seeded: Seeded, mailbox: Mailbox, close_at: datetime
) -> list[str]:
    emails = {applicant_email(n) for n in range(1, args.applicants + 1)}
    expected = expected_mail(args.applicants)
    return [
        *check_accounts(emails),
        *check_applications(emails, seeded.rush_run_id, close_at),
        *check_outbox(expected),
        *check_delivered(expected, mailbox),
    ]


def log_problems(logs: dict[str, Path]) -> list[str]:
    failures = []
    for name, path in logs.items():
        text = path.read_text(errors="replace")
        tracebacks = text.count("Traceback (most recent call last)")
        errors = len(re.findall(r"\bERROR\b|Internal Server Error", text))
        if tracebacks or errors:
            failures.append(f"{name} log: {tracebacks} tracebacks, {errors} error lines ({path})")
    return failures


def failed_jobs(redis_db: int) -> int:
    import redis  # noqa: PLC0415 — Django is set up in main(), after the environment

    client = redis.Redis(host=HOST, port=6379, db=redis_db)
    return int(client.zcard("rq:failed:default") or 0)


# --- report ---------------------------------------------------------------------------------


def report(
    stats: Stats,
    mail_delays: list[float],
    seconds: float,
    burst: dict[str, float],
    args: argparse.Namespace,
) -> list[str]:
    failures = []
    print()
    print(f"{'step':42} {'requests':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'> 1 s':>6}")
    every: list[float] = []
    for step, values in stats.times.items():
        every += values
        p99 = percentile(values, 0.99)
        mark = "" if p99 < TARGET_P99 else "  over 1 s"
        print(
            f"{step:42} {len(values):8d} {percentile(values, 0.5):7.3f} "
            f"{percentile(values, 0.95):7.3f} {p99:7.3f} {max(values):7.3f} "
            f"{sum(v >= TARGET_P99 for v in values):6d}{mark}"
        )
        if p99 >= TARGET_P99:
            failures.append(f"p99 of {step!r} is {p99:.2f} s (target {TARGET_P99:.0f} s)")
    overall = percentile(every, 0.99)
    print(
        f"{'every request':42} {len(every):8d} {percentile(every, 0.5):7.3f} "
        f"{percentile(every, 0.95):7.3f} {overall:7.3f} {max(every):7.3f} "
        f"{sum(v >= TARGET_P99 for v in every):6d}"
    )
    if overall >= TARGET_P99:
        failures.append(f"overall p99 is {overall:.2f} s (target {TARGET_P99:.0f} s)")
    if mail_delays:
        print(
            f"{'verification mail, sign-up to inbox':42} {len(mail_delays):8d} "
            f"{percentile(mail_delays, 0.5):7.3f} {percentile(mail_delays, 0.95):7.3f} "
            f"{percentile(mail_delays, 0.99):7.3f} {max(mail_delays):7.3f}"
        )
    print()
    print(f"HTTP statuses: {dict(sorted(stats.statuses.items()))}")
    print(f"rush: {seconds:.1f} s for {args.applicants} applicants ({len(every)} requests)")
    if "start" in burst:
        print(
            f"schedule burst: {args.participants} participants served in "
            f"{burst['end'] - burst['start']:.2f} s"
        )
    errors = sum(n for status, n in stats.statuses.items() if status == 0 or status >= 500)
    if errors:
        failures.append(f"{errors} server errors or failed connections")
    if stats.problems:
        failures.append(f"{len(stats.problems)} unexpected answers, e.g. {stats.problems[:3]}")
    return failures


def password_hash_cost() -> float:
    from django.contrib.auth.hashers import make_password  # noqa: PLC0415 — Django is set up in main(), after the environment

    started = time.process_time()
    make_password(secrets.token_urlsafe(16))
    return time.process_time() - started


def process_tree(pid: int) -> list[int]:
    found = [pid]
    with suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += process_tree(int(child))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """CPU time of the processes and of their children that ended (forked RQ job runners)."""
    total = 0
    for pid in {p for root in pids for p in process_tree(root)}:
        with suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(value) for value in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values) - idle) / ticks, sum(values) / ticks


def machine() -> str:
    cores = os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{platform.node()} ({cores} cores, {platform.python_version()}, load {load})"


def main() -> int:
    args = parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress shows as it happens, also into a file
    scratch = Path(tempfile.mkdtemp(prefix="deadline-rush-"))
    logs = {"gunicorn": scratch / "gunicorn.log", "rqworker": scratch / "rqworker.log"}
    mailbox = Mailbox()
    stats = Stats()
    port = free_port()
    print(f"deadline rush, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, on {machine()}")
    try:
        with smtp_sink(mailbox) as smtp_port, redis_database(args.redis_db):
            env = production_environment(args, scratch, smtp_port, port)
            os.environ.update(env)
            import django  # noqa: PLC0415 — after the production environment is in place

            django.setup()
            from django.core.management import call_command  # noqa: PLC0415 — Django is set up in main(), after the environment

            with database(args):
                started = time.monotonic()
                call_command("migrate", verbosity=0)
                call_command("collectstatic", verbosity=0, interactive=False)
                seeded = seed(args)
                forget_demo_mail(args.redis_db)
                print(
                    f"set up in {time.monotonic() - started:.0f} s: {args.database}, Redis "
                    f"database {args.redis_db}, SMTP sink on {HOST}:{smtp_port}, "
                    f"{len(seeded.participant_cookies)} participants signed in; one password "
                    f"hash (every sign-up makes one) costs {password_hash_cost():.2f} s of CPU here"
                )
                child_env = {**os.environ, **env}
                web_command = [
                    str(VENV_BIN / "gunicorn"),
                    "cohortkit.wsgi",
                    "--workers",
                    str(args.workers),
                    "--bind",
                    f"{HOST}:{port}",
                    "--backlog",
                    "2048",
                ]
                worker_command = [
                    str(VENV_BIN / "cohortkit"),
                    "rqworker",
                    "--job-class",
                    "django_tasks_rq.Job",
                    "default",
                ]
                with (
                    process(web_command, child_env, logs["gunicorn"]) as web,
                    process(worker_command, child_env, logs["rqworker"]) as worker,
                ):
                    wait_until_serving(port, web)
                    web_before, worker_before = cpu_seconds([web.pid]), cpu_seconds([worker.pid])
                    busy_before = machine_busy()
                    bench_before = time.process_time()
                    close_at = open_window(seeded.rush_run_id, args.window)
                    print(
                        f"gunicorn ({args.workers} workers) on {HOST}:{port} and the RQ worker "
                        f"are up; applications close at {close_at:%H:%M:%S} UTC; "
                        f"{args.applicants} applicants over {args.spread:.0f} s, at most "
                        f"{args.concurrency} in flight; client addresses through "
                        "X-Forwarded-For (BEHIND_TLS_PROXY=true), throttling limits unchanged"
                    )
                    mail_delays, seconds, burst = drive(args, port, seeded, mailbox, stats)
                    expected_mails = args.applicants * 2 + sum(
                        double_signup(n) for n in range(1, args.applicants + 1)
                    )
                    pending = wait_for_mail(expected_mails, args.mail_timeout)
                    # Everything the worker sent has reached the sink once the outbox says so.
                    time.sleep(1)
                    web_cpu = cpu_seconds([web.pid]) - web_before
                    worker_cpu = cpu_seconds([worker.pid]) - worker_before
                    ours = web_cpu + worker_cpu
                    busy_after = machine_busy()
                    bench_cpu = time.process_time() - bench_before
                    failures = report(stats, mail_delays, seconds, burst, args)
                    busy = busy_after[0] - busy_before[0]
                    wall = (busy_after[1] - busy_before[1]) / (os.cpu_count() or 1)
                    print(
                        f"CPU: gunicorn and the RQ worker {ours:.0f} s "
                        f"({ours / args.applicants:.2f} s per applicant, participants included; "
                        f"gunicorn {web_cpu:.0f} s, the worker {worker_cpu:.0f} s); "
                        f"the whole machine busy {busy / max(wall, 1e-9) / (os.cpu_count() or 1):.0%} "
                        f"of {os.cpu_count()} cores for {wall:.0f} s, cohortkit's share "
                        f"{ours / max(busy, 1e-9):.0%}, the bench's own clients and SMTP sink "
                        f"{bench_cpu / max(busy, 1e-9):.0%} (PostgreSQL, Redis and other work the rest)"
                    )
                    if pending:
                        failures.append(f"outbox: {pending} messages still unsent")
                    failures += check(args, seeded, mailbox, close_at)
                    jobs = failed_jobs(args.redis_db)
                    if jobs:
                        failures.append(f"RQ: {jobs} failed jobs")
                failures += log_problems(logs)
    finally:
        print(f"after: load {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    summary = {
        "applicants": args.applicants,
        "participants": args.participants,
        "mails_delivered": len(mailbox.messages),
        "failures": failures,
    }
    print(json.dumps(summary, indent=2))
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        print(f"logs kept in {scratch}")
        return 1
    print("every check passed")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
