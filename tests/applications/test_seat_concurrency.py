"""However many confirmations arrive at once, the run never has more participants than seats."""

from pathlib import Path

import pytest
from django.db import connection

from tests.applications.conftest import concurrent_database
from tests.applications.seat_race import make_offers, race
from tests.sqlite_file import run_on_sqlite_file


@pytest.mark.django_db(transaction=True)
def test_thousand_simultaneous_confirmations_fill_exactly_forty_seats() -> None:
    concurrent_database()
    if connection.vendor == "sqlite":
        pytest.skip("the 1,000-thread race runs on PostgreSQL; SQLite has its own test below")
    run = make_offers(offers=1000, seats=40)
    result = race(run, workers=48)
    assert result == {
        "confirmed": 40,
        "full": 960,
        "confirmed_offers": 40,
        "counter": 40,
        "participants": 40,
    }


SCRIPT = """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.applications.seat_race import make_offers, race
print(json.dumps(race(make_offers(offers=200, seats=40), workers=16)))
"""


def test_simultaneous_confirmations_on_a_sqlite_file_database(tmp_path: Path) -> None:
    """The same race on a SQLite file (IMMEDIATE transactions, WAL), in a fresh process."""
    assert run_on_sqlite_file(SCRIPT, tmp_path) == {
        "confirmed": 40,
        "full": 160,
        "confirmed_offers": 40,
        "counter": 40,
        "participants": 40,
    }
