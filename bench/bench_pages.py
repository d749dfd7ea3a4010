"""Pages as multiples of the bare Django floor, with the demo's data or a run of N applicants.

    .venv/bin/python bench/bench_pages.py [--applicants 1000] [--database-url URL]
        [--rounds 5] [--duration 6] [--webperf PATH] [--json FILE] [--render]

Prepares a database (a new SQLite file in a temporary directory, or the PostgreSQL database
of ``--database-url``, which it migrates and fills): migrates, loads the demo and, with
``--applicants N``, adds N submitted applications (N new people) to the run the tool
measures (autumn-2026), so its applications list and the coordinator's pages work on a big
run. Then runs the shared page tool, webperf.py (``--webperf``; by default
``../shared/tools/webperf/webperf.py`` beside the checkout, or ``$WEBPERF``): gunicorn with 2
sync workers and production settings serving this checkout next to a bare one-view Django
project, both loaded with wrk (c=2) in interleaved rounds, and prints each page's cost as a
multiple of the floor. Then two pages the tool does not load, the participant's dashboard
and the coordinator's selection page, measured the same way here (both servers side by
side, wrk c=2, interleaved rounds). Last, each page against its target (issue 15): public
pages within 3x the floor, participant pages within 8x, staff pages within 15x, and a p99
of 50 ms.

Pages are kept ready for their reader (accounts/page_cache.py), so a repeated load measures
a kept page. ``--render`` turns keeping off (``KEEP_PAGES=false``) to measure what
rendering each page costs: what the first reader after an edit waits.

The machine is usually shared: compare the ratios of one run (both servers measured side by
side), and run again when the floor itself moved a lot between rounds. Needs wrk
(``scripts/system-deps`` installs it).
"""

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"public": 3.0, "participant": 8.0, "staff": 15.0}
P99_MS = 50.0
RUN = "autumn-2026"

SEED = r"""
import sys
from datetime import timedelta

import django

django.setup()
from django.utils import timezone

from cohortkit.accounts.models import User
from cohortkit.applications.models import Application, ApplicationState
from cohortkit.courses.models import Run

wanted = int(sys.argv[1])
run = Run.objects.get(slug=sys.argv[2])
have = Application.objects.filter(run=run, applicant__email__startswith="bench-applicant").count()
at = timezone.now() - timedelta(days=30)
people = User.objects.bulk_create(
    User(
        email=f"bench-applicant{n:05d}@example.org",
        username=f"bench-applicant{n:05d}@example.org",
        display_name=f"Bench Applicant {n}",
        timezone=("Asia/Kolkata", "America/Mexico_City", "Europe/Berlin", "Africa/Lagos")[n % 4],
        region=("asia-pacific", "latin-america", "europe", "africa")[n % 4],
    )
    for n in range(have, wanted)
)
Application.objects.bulk_create(
    Application(
        run=run,
        applicant=person,
        state=ApplicationState.SUBMITTED,
        contact_email=person.email,
        timezone=person.timezone,
        region=person.region,
        answers={},
        consent_at=at,
        submitted_at=at,
        draft_saved_at=at,
    )
    for person in people
)
print(Application.objects.filter(run=run).count())
"""


SESSIONS = r"""
import json

import django

django.setup()
from django.test import Client

from cohortkit.accounts.models import User

cookies = {}
for email in ("participant001@example.org", "coordinator@example.org"):
    client = Client()
    client.force_login(User.objects.get(email=email))
    cookies[email] = "sessionid=" + client.cookies["sessionid"].value
print(json.dumps(cookies))
"""


def _wait_for(port: int) -> None:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
        except OSError:
            time.sleep(0.1)
        else:
            return
    sys.exit(f"nothing listens on port {port}")


def _wrk(url: str, duration: int, cookie: str | None) -> tuple[float, float, float, int]:
    """Requests/s, p50 and p99 in ms, and non-2xx/3xx answers: wrk as the page tool runs it."""
    command = ["wrk", "-t1", "-c2", f"-d{duration}s", "--latency"]
    command += ["-H", "Accept: text/html,application/xhtml+xml", "-H", "Accept-Language: en"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(  # noqa: S603 - wrk with our fixed arguments
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rate is not None, out
    latency = {}
    for quantile in ("50", "99"):
        found = re.search(rf"^\s+{quantile}%\s+([\d.]+)(us|ms|s)", out, re.MULTILINE)
        assert found is not None, out
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]
        latency[quantile] = float(found.group(1)) * scale
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return float(rate.group(1)), latency["50"], latency["99"], int(errors.group(1)) if errors else 0


def _warm(url: str, cookie: str | None) -> int:
    """Load the page a few times (each worker renders it once cold) and give its status."""
    headers = {"Accept-Language": "en", **({"Cookie": cookie} if cookie else {})}
    status = 0
    for _ in range(6):
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 — loopback only
            status = response.status
    return status


def _more_pages(
    env: dict[str, str], scratch: Path, webperf: Path, args: argparse.Namespace
) -> list[dict[str, object]]:
    """The dashboard and the selection page, measured beside the floor as the tool does."""
    python = str(ROOT / ".venv" / "bin" / "python")
    env = dict(env, STATIC_ROOT=str(scratch / "static"), MEDIA_ROOT=str(scratch / "media"))
    collect = [str(ROOT / ".venv" / "bin" / "cohortkit"), "collectstatic", "--no-input", "-v0"]
    subprocess.run(collect, env=env, cwd=ROOT, check=True)  # noqa: S603 - our own command
    made = subprocess.run(  # noqa: S603 - our own snippet
        [python, "-c", SESSIONS], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    cookies = json.loads(made.stdout.strip().splitlines()[-1])
    port, floor_port = args.port + 2, args.port + 3
    floor_env = dict(
        env,
        DJANGO_SETTINGS_MODULE="djfloor.settings",
        DJFLOOR_STACK="bare",
        DJFLOOR_DB=str(scratch / "floor.sqlite3"),
    )
    gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
    common = ["-w", "2", "-k", "sync", "--log-level", "warning"]
    servers = [
        subprocess.Popen(  # noqa: S603 - gunicorn with fixed arguments
            [gunicorn, *common, "-b", f"127.0.0.1:{port}", "cohortkit.wsgi"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        ),
        subprocess.Popen(  # noqa: S603 - gunicorn with fixed arguments
            [gunicorn, *common, "-b", f"127.0.0.1:{floor_port}", "--chdir",
             str(webperf.parent / "djfloor"), "djfloor.wsgi:application"],
            env=floor_env,
            start_new_session=True,
        ),
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    pages = [
        ("floor (bare Django view)", f"http://127.0.0.1:{floor_port}/empty", None, "floor"),
        ("dashboard (participant)", base + "/", cookies["participant001@example.org"],
         "participant"),
        ("selection (coordinator)", base + f"/courses/partnership-building/{RUN}/applications/selection/",
         cookies["coordinator@example.org"], "staff"),
    ]  # fmt: skip
    results: dict[str, list[tuple[float, float, float, int]]] = {}
    try:
        _wait_for(port)
        _wait_for(floor_port)
        for name, url, cookie, _ in pages:
            print(f"# {name}: HTTP {_warm(url, cookie)}", flush=True)
        for _ in range(args.rounds):
            for name, url, cookie, _ in pages:
                results.setdefault(name, []).append(_wrk(url, args.duration, cookie))
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(10)
    floor = statistics.median(r[0] for r in results[pages[0][0]])
    rows: list[dict[str, object]] = []
    for name, _, _, kind in pages:
        runs = results[name]
        rate = statistics.median(r[0] for r in runs)
        row: dict[str, object] = {
            "page": name,
            "kind": kind,
            "rps": rate,
            "p50": statistics.median(r[1] for r in runs),
            "p99": statistics.median(r[2] for r in runs),
            "errors": sum(r[3] for r in runs),
            "x_floor": floor / rate,
        }
        rows.append(row)
        print(
            f"{name:32s} {rate:7.0f} req/s  p50 {row['p50']:6.2f} ms  p99 {row['p99']:6.2f} ms  "
            f"x{row['x_floor']:5.1f} floor  non-2xx {row['errors']}"
        )
    return rows


def _beside_checkout() -> Path:
    """../shared/tools/webperf/webperf.py from the checkout (or from its worktrees' parent)."""
    tool = Path("shared") / "tools" / "webperf" / "webperf.py"
    found = [base / tool for base in (ROOT.parent, ROOT.parent.parent) if (base / tool).exists()]
    return found[0] if found else ROOT.parent / tool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=6)
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument(
        "--webperf",
        type=Path,
        default=Path(os.environ["WEBPERF"]) if "WEBPERF" in os.environ else _beside_checkout(),
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--render", action="store_true", help="measure with no page kept")
    args = parser.parse_args()
    if not args.webperf.exists():
        sys.exit(f"webperf.py not found at {args.webperf}: pass --webperf PATH or set WEBPERF")

    scratch = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    database_url = args.database_url or f"sqlite:///{scratch / 'pages.sqlite3'}"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="cohortkit.settings",
        DEBUG="false",
        SECRET_KEY="bench-pages-" + "y" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        COHORTKIT_VAR_DIR=str(scratch),
        DATABASE_URL=database_url,
        KEEP_PAGES="false" if args.render else "true",
    )
    command = [str(ROOT / ".venv" / "bin" / "cohortkit")]
    python = str(ROOT / ".venv" / "bin" / "python")
    # Every subprocess below is our own command or the page tool, with fixed arguments.
    migrate = [*command, "migrate", "--no-input", "-v0"]
    subprocess.run(migrate, env=env, cwd=ROOT, check=True)  # noqa: S603 - see above
    demo = [*command, "demo"]
    subprocess.run(demo, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 — our command
    if args.applicants:
        seeded = subprocess.run(  # noqa: S603 - see above
            [python, "-c", SEED, str(args.applicants), RUN],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        print(f"# {RUN}: {seeded.stdout.strip()} applications", flush=True)

    kind = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    # (The tool's heading says PostgreSQL whenever it is given a database address.)
    print(f"# database: {kind}", flush=True)
    result = Path(args.json or scratch / "pages.json")
    measure = [
        python,
        str(args.webperf),
        str(ROOT),
        "--rounds",
        str(args.rounds),
        "--duration",
        str(args.duration),
        "--port",
        str(args.port),
        "--database-url",
        database_url,
        "--json",
        str(result),
    ]
    subprocess.run(measure, env=env, cwd=ROOT, check=True)  # noqa: S603 - see above

    rows = json.loads(result.read_text())
    print("\n# two more pages, beside their own floor", flush=True)
    more = _more_pages(env, scratch, args.webperf, args)
    rows += [row for row in more if row["kind"] != "floor"]
    result.write_text(json.dumps(rows, indent=1))
    print(
        f"\nagainst the targets (x floor: public {TARGETS['public']:g}, participant "
        f"{TARGETS['participant']:g}, staff {TARGETS['staff']:g}; p99 {P99_MS:g} ms)"
    )
    for row in rows:
        if row["kind"] == "floor":
            continue
        target = TARGETS[row["kind"]]
        verdict = "ok" if row["x_floor"] <= target and row["p99"] <= P99_MS else "MISSED"
        print(
            f"{row['page']:32s} x{row['x_floor']:5.1f} / {target:4.0f}   "
            f"p99 {row['p99']:6.1f} ms   ratio {row['x_floor'] / target:4.2f}   {verdict}"
        )


if __name__ == "__main__":
    main()
