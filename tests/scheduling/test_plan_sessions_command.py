import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

CSV = """id,timezone,availability
ny,America/New_York,daily 09:00-11:00
be,Europe/Berlin,Mon-Fri 17:00-20:00
ktm,Asia/Kathmandu,
"""


def run(tmp_path, text, *options):
    path = tmp_path / "participants.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command(
        "plan_sessions",
        str(path),
        "--start",
        "2021-02-01",
        "--weeks",
        "8",
        "--duration",
        "120",
        *options,
        "--json",
        stdout=out,
    )
    return out.getvalue()


def test_prints_the_plan_as_json_in_the_documented_shape(tmp_path):
    # New York anchor: 09:00 suits New York and Kathmandu (19:45 or 18:45 there); Berlin's
    # 17:00-20:00 holds a two-hour session every week only from 12:00 New York time, since
    # the US changes clocks two weeks before Europe.
    output = run(tmp_path, CSV, "--sessions", "2", "--anchor", "America/New_York")

    assert json.loads(output) == {
        "participants": 3,
        "covered": 3,
        "sessions": [
            {"weekday": "Mon", "time": "09:00", "timezone": "America/New_York"},
            {"weekday": "Mon", "time": "12:00", "timezone": "America/New_York"},
        ],
        "assignment": {"ny": 0, "be": 1, "ktm": 0},
    }
    assert output.startswith('{"participants": 3, "covered": 3, "sessions": [{"weekday": "Mon"')


def test_utc_anchor_leaves_the_new_yorker_out(tmp_path):
    # No UTC time suits New York every week; Berlin (16:00 UTC) and Kathmandu (02:15-14:15)
    # cannot share one: the earliest time wins the tie.
    plan = json.loads(run(tmp_path, CSV))

    assert plan == {
        "participants": 3,
        "covered": 1,
        "sessions": [{"weekday": "Mon", "time": "02:15", "timezone": "UTC"}],
        "assignment": {"ny": None, "be": None, "ktm": 0},
    }


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,Mars/Base,daily 09:00-10:00", r"line 5 \(id 'x'\): unknown time zone 'Mars/Base'"),
        ("x,UTC,Mon 9:10-10:00", r"line 5 \(id 'x'\): .*15-minute grid"),
        ("x,UTC,Mon 09:00 to 10:00", r"line 5 \(id 'x'\): .*is not a range"),
    ],
)
def test_bad_line_stops_with_its_number_and_id_and_no_plan(tmp_path, capsys, row, message):
    with pytest.raises(CommandError, match=message):
        run(tmp_path, CSV + row + "\n")

    assert capsys.readouterr().out == ""


def test_unknown_anchor_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--anchor: unknown time zone 'Nowhere'"):
        run(tmp_path, CSV, "--anchor", "Nowhere")
