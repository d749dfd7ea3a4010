"""Pages as multiples of the bare Django floor, with the demo's data or a run of N applicants.

    .venv/bin/python bench/bench_pages.py [--applicants 1000] [--database-url URL]
        [--rounds 5] [--duration 6] [--webperf PATH] [--json FILE]

Prepares a database (a new SQLite file in a temporary directory, or the PostgreSQL database
of ``--database-url``, which it migrates and fills): migrates, loads the demo and, with
``--applicants N``, adds N submitted applications (N new people) to the run the tool
measures (autumn-2026), so its applications list and the coordinator's pages work on a big
run. Then runs the shared page tool, webperf.py (``--webperf``; by default
``../shared/tools/webperf/webperf.py`` beside the checkout, or ``$WEBPERF``): gunicorn with 2
sync workers and production settings serving this checkout next to a bare one-view Django
project, both loaded with wrk (c=2) in interleaved rounds, and prints each page's cost as a
multiple of the floor. Last, each page against its target (issue 15): public pages within
3x the floor, participant pages within 8x, staff pages within 15x, and a p99 of 50 ms.

The machine is usually shared: compare the ratios of one run (both servers measured side by
side), and run again when the floor itself moved a lot between rounds. Needs wrk
(``scripts/system-deps`` installs it).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
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
    )
    command = [str(ROOT / ".venv" / "bin" / "cohortkit")]
    python = str(ROOT / ".venv" / "bin" / "python")
    # Every subprocess below is our own command or the page tool, with fixed arguments.
    migrate = [*command, "migrate", "--no-input", "-v0"]
    subprocess.run(migrate, env=env, cwd=ROOT, check=True)  # noqa: S603 - see above
    demo = [*command, "demo"]
    subprocess.run(demo, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
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
