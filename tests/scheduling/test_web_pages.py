"""The live-session pages: forms keep what was typed, htmx rows, polling, query counts,
GET changes nothing, schedules in the viewer's zone across DST and half-hour offsets."""

import json
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohortkit.courses.models import Role
from cohortkit.scheduling.models import (
    Attendance,
    PlanStatus,
    Session,
    SessionKind,
    SessionPlan,
    WeeklyAvailability,
)
from cohortkit.scheduling.services import compute_plan
from tests.conftest import Cast
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.factories.scheduling import weekly_series
from tests.payloads import DATA
from tests.queries import page_queries


def _url(cast: Cast, name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, **kwargs})


def _naughty() -> list[str]:
    strings = json.loads((DATA / "blns.json").read_text(encoding="utf-8"))
    for name in sorted(DATA.glob("patt-xss-*.txt")):
        strings += name.read_text(encoding="utf-8", errors="replace").splitlines()[:40]
    return [s for s in strings if s.strip() and "\x00" not in s][::15]


# ---- availability ---------------------------------------------------------------------------


def test_availability_grid_shows_the_default_day_until_given(cast: Cast) -> None:
    response = cast.client_for("participant").get(_url(cast, "scheduling:availability"))

    checked = re.findall(r'name="slot" value="(\d+)"[^>]*checked', response.content.decode())
    assert len(checked) == 7 * 56  # 08:00-22:00 is 56 quarter hours, every day


def test_availability_grid_saves_the_ticked_slots_and_zone(cast: Cast) -> None:
    response = cast.client_for("participant").post(
        _url(cast, "scheduling:availability"),
        {"slot": ["0", "1", "671"], "timezone": "Asia/Kolkata", "ranges": ""},
    )

    row = WeeklyAvailability.objects.get(run=cast.run, user=cast.participant)
    assert response.status_code == 302
    assert (row.timezone, row.availability.to_text()) == (
        "Asia/Kolkata",
        "Mon 00:00-00:30; Sun 23:45-24:00",
    )


def test_typed_ranges_replace_the_grid(cast: Cast) -> None:
    cast.client_for("participant").post(
        _url(cast, "scheduling:availability"),
        {"slot": ["0"], "timezone": "UTC", "ranges": "Sat-Mon 09:00-10:00"},
    )

    row = WeeklyAvailability.objects.get(run=cast.run, user=cast.participant)
    assert row.availability.to_text() == "Mon 09:00-10:00; Sat 09:00-10:00; Sun 09:00-10:00"


def test_bad_ranges_name_the_problem_and_keep_the_ticks_and_the_text(cast: Cast) -> None:
    response = cast.client_for("participant").post(
        _url(cast, "scheduling:availability"),
        {"slot": ["5", "6"], "timezone": "Mars/Olympus", "ranges": "Mon 18:10-20:00"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "not on the 15-minute grid" in page
    assert "is not a known IANA time zone" in page
    assert 'value="Mon 18:10-20:00"' in page
    assert re.findall(r'name="slot" value="(\d+)"[^>]*checked', page) == ["5", "6"]
    assert not WeeklyAvailability.objects.exists()


def test_an_empty_grid_is_refused_with_a_message(cast: Cast) -> None:
    response = cast.client_for("participant").post(
        _url(cast, "scheduling:availability"), {"timezone": "UTC", "ranges": ""}
    )

    assert "Mark at least one time" in response.content.decode()
    assert not WeeklyAvailability.objects.exists()


@pytest.mark.parametrize("text", _naughty())
def test_hostile_ranges_never_crash_or_echo_markup(cast: Cast, text: str) -> None:
    response = cast.client_for("participant").post(
        _url(cast, "scheduling:availability"), {"slot": ["5"], "timezone": "UTC", "ranges": text}
    )

    assert response.status_code in {200, 302}
    if response.status_code == 200 and "<script" in text.lower():
        assert "<script>alert" not in response.content.decode().lower()


# ---- planner --------------------------------------------------------------------------------


def _participants(cast: Cast, zones: list[str]) -> list[object]:
    people = []
    for zone in zones:
        person = UserFactory(timezone=zone)
        RunRoleFactory(run=cast.run, user=person, role=Role.PARTICIPANT)
        people.append(person)
    return people


def test_a_small_plan_is_computed_in_the_request_and_shown(cast: Cast) -> None:
    _participants(cast, ["Asia/Kolkata", "America/New_York"])
    short = _participants(cast, ["Pacific/Chatham"])[0]
    WeeklyAvailability.objects.create(
        run=cast.run, user=short, timezone="Pacific/Chatham", slots=f"{0b1111:0168x}"
    )  # Monday 00:00-01:00 only: too short for two hours
    client = cast.client_for("facilitator")

    response = client.post(
        _url(cast, "scheduling:planner"),
        {"kind": "weekly", "sessions": 1, "duration_minutes": 120, "anchor": "UTC"},
        follow=True,
    )

    plan = SessionPlan.objects.get()
    page = response.content.decode()
    assert (plan.status, plan.result["covered"], plan.result["participants"]) == ("done", 3, 4)
    assert "3 of 4 participants (75%)" in page
    assert plan.result["uncovered"][str(short.pk)]["code"] == "no_window"
    assert "No stretch of their availability is long enough" in page
    assert "heatmap.svg" in page
    svg = client.get(_url(cast, "scheduling:plan_heatmap", pk=plan.pk))
    assert svg["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert svg.content.count(b"<rect") == 1 + 672 + 1  # background, cells, the chosen time


def test_times_set_by_hand_are_evaluated_and_bad_ones_explained(cast: Cast) -> None:
    client = cast.client_for("coordinator")
    bad = client.post(
        _url(cast, "scheduling:planner"),
        {
            "kind": "weekly",
            "sessions": 1,
            "duration_minutes": 60,
            "anchor": "UTC",
            "fixed_times": "Mon 14:07",
        },
    )
    assert "on 15-minute steps" in bad.content.decode()
    assert 'value="Mon 14:07"' in bad.content.decode()

    client.post(
        _url(cast, "scheduling:planner"),
        {
            "kind": "weekly",
            "sessions": 1,
            "duration_minutes": 60,
            "anchor": "UTC",
            "fixed_times": "thu 18:30; Mon 02:00",
        },
    )

    plan = SessionPlan.objects.get()
    assert [t["label"] for t in plan.result["times"]] == ["Thu 18:30", "Mon 02:00"]
    assert plan.result["assignment"] == {str(cast.participant.pk): 0}


def test_a_k3_plan_runs_in_the_worker_and_the_page_polls_its_progress(
    cast: Cast,
    django_capture_on_commit_callbacks,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    _participants(cast, ["Asia/Tokyo", "Europe/Berlin", "America/Denver"])
    client = cast.client_for("coordinator")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            _url(cast, "scheduling:planner"),
            {"kind": "weekly", "sessions": 3, "duration_minutes": 90, "anchor": "UTC"},
        )
    plan = SessionPlan.objects.get()
    assert (response.status_code, plan.status, len(callbacks)) == (302, PlanStatus.PENDING, 1)

    polling = client.get(_url(cast, "scheduling:plan", pk=plan.pk), headers={"HX-Request": "true"})
    assert 'hx-trigger="load delay:1s"' in polling.content.decode()
    assert "<html" not in polling.content.decode()

    compute_plan(plan)  # what task_compute_plan does in the worker
    done = client.get(_url(cast, "scheduling:plan", pk=plan.pk), headers={"HX-Request": "true"})
    assert (done.status_code, done["HX-Refresh"]) == (204, "true")
    assert SessionPlan.objects.get().result["covered"] == 4


@time_machine.travel(datetime(2021, 1, 20, tzinfo=UTC), tick=False)
def test_accepting_a_plan_from_the_page_creates_the_schedule(cast: Cast) -> None:
    plan = compute_plan(SessionPlan.objects.create(run=cast.run, sessions=1, duration_minutes=120))
    client = cast.client_for("coordinator")

    response = client.post(_url(cast, "scheduling:plan_accept", pk=plan.pk), follow=True)

    assert "The plan is accepted" in response.content.decode()
    assert response.content.decode().count('id="occurrence-') == 8 + 1  # weeks + onboarding


def _accept_offer_on_plan_page(cast: Cast, at: datetime) -> tuple[bool, str, bool]:
    """(an accept form is there, its button's text, the "no longer" notice is there)."""
    plan = compute_plan(SessionPlan.objects.create(run=cast.run, sessions=1, duration_minutes=60))
    with time_machine.travel(at, tick=False):
        page = cast.client_for("facilitator").get(_url(cast, "scheduling:plan", pk=plan.pk))
    html = page.content.decode()
    accept_url = _url(cast, "scheduling:plan_accept", pk=plan.pk)
    button = re.search(r'<button type="submit" class="primary">([^<]*)</button>', html)
    return (
        f'action="{accept_url}"' in html,
        button.group(1) if button else "",
        "a plan can no longer be accepted" in html,
    )


def test_the_plan_page_offers_accepting_before_the_run_the_remaining_weeks_mid_run_and_nothing_after(
    cast: Cast,
) -> None:
    # Issue 11 item 7: the page offered "Accept this plan" mid-run and then refused it.
    offers = [
        _accept_offer_on_plan_page(cast, datetime(2021, 1, 20, tzinfo=UTC)),
        _accept_offer_on_plan_page(cast, datetime(2021, 3, 3, tzinfo=UTC)),
        _accept_offer_on_plan_page(cast, datetime(2021, 3, 28, 23, 59, tzinfo=UTC)),
        _accept_offer_on_plan_page(cast, datetime(2021, 3, 29, tzinfo=UTC)),
    ]

    assert offers == [
        (True, "Accept this plan and create the sessions", False),
        (True, "Accept this plan for the remaining weeks", False),
        (True, "Accept this plan for the remaining weeks", False),
        (False, "", True),
    ]


@time_machine.travel(datetime(2021, 3, 3, tzinfo=UTC), tick=False)
def test_accepting_mid_run_from_the_page_keeps_the_weeks_that_took_place(cast: Cast) -> None:
    old = weekly_series(cast.run, members=[cast.participant])
    Attendance.objects.create(
        occurrence=old.occurrences.get(week=0),
        user=cast.participant,
        status="present",
        recorded_at=datetime(2021, 2, 1, tzinfo=UTC),
    )
    plan = compute_plan(SessionPlan.objects.create(run=cast.run, sessions=1, duration_minutes=60))

    response = cast.client_for("facilitator").post(
        _url(cast, "scheduling:plan_accept", pk=plan.pk), follow=True
    )

    assert "The plan is accepted" in response.content.decode()
    weeks = sorted(
        (occurrence.session_id == old.pk, occurrence.week)
        for occurrence in cast.run.live_sessions.get(pk=old.pk).occurrences.all()
    )
    # 2021-03-03 is in week 4 (from Monday 1 March): weeks 0-4 took place, Monday 14:00.
    assert weeks == [(True, week) for week in range(5)]


@time_machine.travel(datetime(2021, 3, 29, tzinfo=UTC), tick=False)
def test_accepting_after_the_run_is_refused_with_a_message(cast: Cast) -> None:
    plan = compute_plan(SessionPlan.objects.create(run=cast.run, sessions=1, duration_minutes=60))

    response = cast.client_for("coordinator").post(
        _url(cast, "scheduling:plan_accept", pk=plan.pk), follow=True
    )

    assert "The run has ended: there are no weeks left to schedule" in response.content.decode()
    assert SessionPlan.objects.get(pk=plan.pk).accepted_at is None


# ---- schedules: zones, DST, half-hour offsets ----------------------------------------------


@time_machine.travel(datetime(2021, 1, 20, tzinfo=UTC), tick=False)
def test_schedule_in_new_york_warns_on_the_weeks_after_the_us_change(cast: Cast) -> None:
    cast.participant.timezone = "America/New_York"
    cast.participant.save()
    weekly_series(cast.run, start=time(14, 0), members=[cast.participant])

    page = cast.client_for("participant").get(_url(cast, "scheduling:schedule")).content.decode()

    rows = re.findall(r'<tr id="occurrence-\d+".*?</tr>', page, flags=re.S)
    warned = ["60 minutes later" in row for row in rows]
    # 2021-02-01 + 8 weeks; the US moves its clocks on 2021-03-14: weeks 7 and 8 shift.
    assert warned == [False] * 6 + [True, True]
    assert "America/New_York (UTC-05:00)" in rows[0]
    assert "America/New_York (UTC-04:00)" in rows[6]


@time_machine.travel(datetime(2021, 1, 20, tzinfo=UTC), tick=False)
def test_schedule_in_kolkata_shows_the_next_local_day_and_no_warning(cast: Cast) -> None:
    cast.participant.timezone = "Asia/Kolkata"
    cast.participant.save()
    weekly_series(cast.run, start=time(20, 0), members=[cast.participant])

    page = cast.client_for("participant").get(_url(cast, "scheduling:schedule")).content.decode()

    first = re.findall(r'<tr id="occurrence-\d+".*?</tr>', page, flags=re.S)[0]
    # Monday 20:00 UTC is Tuesday 01:30 in Kolkata (UTC+05:30).
    assert '<time datetime="2021-02-01T20:00:00+00:00">Tue' in first
    assert "1:30" in first
    assert "different day where you are" in first
    assert "minutes later" not in page


def test_participants_see_only_their_groups_sessions_and_their_own_attendance(cast: Cast) -> None:
    mine = weekly_series(cast.run, members=[cast.participant], title="Group one")
    weekly_series(cast.run, members=[], title="Group two", weekday=3)
    Attendance.objects.create(
        occurrence=mine.occurrences.get(week=0),
        user=cast.participant,
        status="late",
        recorded_at=datetime(2021, 2, 1, tzinfo=UTC),
    )

    page = cast.client_for("participant").get(_url(cast, "scheduling:schedule")).content.decode()

    assert (page.count("Group one"), page.count("Group two")) == (8, 0)
    assert "Late" in page


@pytest.mark.parametrize("rows", [1, 12])
def test_schedule_query_count_does_not_grow_with_sessions(
    cast: Cast,
    rows: int,
) -> None:
    cast.run.weeks = rows
    cast.run.save()
    weekly_series(cast.run, members=[cast.participant])
    weekly_series(cast.run, members=[cast.participant], weekday=4)
    client = cast.client_for("participant")

    # From nothing kept: their session, the person, the run, their roles, their attendance;
    # and what every schedule of the run shares once kept (tests/scheduling/
    # test_shared_schedule.py): the meetings, the weekly groups, who gave availability, who
    # studies at their own pace, the course's published languages.
    assert page_queries(client, _url(cast, "scheduling:schedule")) == 10


@pytest.mark.parametrize("people", [1, 15])
def test_attendance_sheet_query_count_does_not_grow_with_people(cast: Cast, people: int) -> None:
    members = [cast.participant, *_participants(cast, ["UTC"] * (people - 1))]
    occurrence = weekly_series(cast.run, members=members).occurrences.first()
    client = cast.client_for("facilitator")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(cast, "scheduling:attendance_sheet", pk=occurrence.pk))  # type: ignore[union-attr]

    assert response.content.decode().count('<tr id="row-') == people
    assert len(queries) == 8  # one: the course's published languages, for its titles


@pytest.mark.parametrize("people", [1, 15])
def test_attendance_overview_query_count_does_not_grow_with_people(cast: Cast, people: int) -> None:
    _participants(cast, ["UTC"] * (people - 1))
    weekly_series(cast.run, members=[cast.participant])
    client = cast.client_for("coordinator")

    # One: the course's published languages, for its titles.
    assert page_queries(client, _url(cast, "scheduling:attendance")) == 9


# ---- attendance -----------------------------------------------------------------------------


def test_one_row_saves_with_htmx_and_answers_with_the_row(cast: Cast) -> None:
    occurrence = weekly_series(cast.run, members=[cast.participant]).occurrences.first()
    prefix = f"p{cast.participant.pk}"

    response = cast.client_for("facilitator").post(
        _url(cast, "scheduling:attendance_row", pk=occurrence.pk, user_id=cast.participant.pk),  # type: ignore[union-attr]
        {f"{prefix}-status": "excused"},
        headers={"HX-Request": "true"},
    )

    row = Attendance.objects.get()
    assert (row.status, row.recorded_by) == ("excused", cast.facilitator)
    assert response.content.decode().strip().startswith(f'<tr id="row-{cast.participant.pk}"')
    assert "Saved" in response.content.decode()


def test_the_whole_sheet_saves_without_javascript(cast: Cast) -> None:
    other = _participants(cast, ["UTC"])[0]
    occurrence = weekly_series(cast.run, members=[cast.participant, other]).occurrences.first()

    cast.client_for("coordinator").post(
        _url(cast, "scheduling:attendance_sheet", pk=occurrence.pk),  # type: ignore[union-attr]
        {f"p{cast.participant.pk}-status": "present", f"p{other.pk}-status": "absent"},  # type: ignore[attr-defined]
    )

    assert dict(Attendance.objects.values_list("user_id", "status")) == {
        cast.participant.pk: "present",
        other.pk: "absent",  # type: ignore[attr-defined]
    }


def test_a_bad_status_is_refused_and_nothing_saved(cast: Cast) -> None:
    occurrence = weekly_series(cast.run, members=[cast.participant]).occurrences.first()

    response = cast.client_for("facilitator").post(
        _url(cast, "scheduling:attendance_row", pk=occurrence.pk, user_id=cast.participant.pk),  # type: ignore[union-attr]
        {f"p{cast.participant.pk}-status": "asleep"},
    )

    assert (response.status_code, Attendance.objects.count()) == (400, 0)
    assert "Choose present, late, excused or absent." in response.content.decode()


# ---- exceptions from the page ---------------------------------------------------------------


def test_moving_into_a_dst_gap_is_explained_and_changes_nothing(cast: Cast) -> None:
    occurrence = weekly_series(cast.run).occurrences.first()

    response = cast.client_for("facilitator").post(
        _url(cast, "scheduling:occurrence_move", pk=occurrence.pk),  # type: ignore[union-attr]
        {"starts_at": "2021-03-14T02:30", "timezone": "America/New_York", "note": "moved"},
    )

    occurrence.refresh_from_db()  # type: ignore[union-attr]
    assert response.status_code == 400
    assert "does not exist in America/New_York" in response.content.decode()
    assert 'value="moved"' in response.content.decode()
    assert occurrence.sequence == 0  # type: ignore[union-attr]


def test_moving_reads_the_wall_time_in_the_chosen_zone(cast: Cast) -> None:
    occurrence = weekly_series(cast.run).occurrences.first()

    cast.client_for("facilitator").post(
        _url(cast, "scheduling:occurrence_move", pk=occurrence.pk),  # type: ignore[union-attr]
        {"starts_at": "2021-02-02T09:15", "timezone": "Asia/Kathmandu", "note": ""},
    )

    occurrence.refresh_from_db()  # type: ignore[union-attr]
    assert occurrence.starts_at == datetime(2021, 2, 2, 3, 30, tzinfo=UTC)  # type: ignore[union-attr]


@pytest.mark.parametrize("text", _naughty()[::4])
def test_hostile_notes_and_agendas_are_kept_and_shown_escaped(cast: Cast, text: str) -> None:
    occurrence = weekly_series(cast.run, members=[cast.participant]).occurrences.first()
    client = cast.client_for("coordinator")

    client.post(_url(cast, "scheduling:occurrence_cancel", pk=occurrence.pk), {"note": text[:300]})  # type: ignore[union-attr]
    client.post(
        _url(cast, "scheduling:session_details", pk=occurrence.pk),  # type: ignore[union-attr]
        {"video_url": "", "agenda": text, "facilitator": ""},
    )

    occurrence.refresh_from_db()  # type: ignore[union-attr]
    page = cast.client_for("participant").get(_url(cast, "scheduling:occurrence", pk=occurrence.pk))  # type: ignore[union-attr]
    assert occurrence.note == text[:300].strip()  # type: ignore[union-attr]
    assert occurrence.session.agenda == text.strip()  # type: ignore[union-attr]
    assert page.status_code == 200
    assert "<script>alert" not in page.content.decode().lower()


# ---- GET changes nothing --------------------------------------------------------------------


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in apps.get_models()}


def test_no_page_changes_anything_on_get(cast: Cast) -> None:
    occurrence = weekly_series(cast.run, members=[cast.participant]).occurrences.first()
    plan = compute_plan(SessionPlan.objects.create(run=cast.run, duration_minutes=60))
    urls = [
        _url(cast, name)
        for name in [
            "scheduling:schedule",
            "scheduling:availability",
            "scheduling:planner",
            "scheduling:attendance",
            "scheduling:calendar",
            "scheduling:run_feed",
        ]
    ]
    urls += [
        _url(cast, name, pk=occurrence.pk)
        for name in [
            "scheduling:occurrence",
            "scheduling:occurrence_ics",
            "scheduling:attendance_sheet",
        ]
    ]  # type: ignore[union-attr]
    urls += [
        _url(cast, name, pk=plan.pk) for name in ["scheduling:plan", "scheduling:plan_heatmap"]
    ]
    urls += [
        _url(cast, "scheduling:plan_accept", pk=plan.pk),
        _url(cast, "scheduling:calendar_new"),
    ]
    client = cast.client_for("coordinator")
    before = _counts()

    statuses = {url: client.get(url).status_code for url in urls}

    assert _counts() == before
    assert statuses[urls[-1]] == statuses[urls[-2]] == 405


def test_anonymous_public_feed_uses_no_login(db: None) -> None:
    run = RunFactory(starts_on=date(2021, 2, 1))
    assert (
        Client()
        .get(reverse("scheduling:run_feed", kwargs={"slug": run.course.slug, "run": run.slug}))
        .status_code
        == 200
    )


@pytest.mark.django_db
def test_participant_outside_every_weekly_group_is_told_why(cast: Cast) -> None:
    group = Session.objects.create(
        run=cast.run,
        kind=SessionKind.WEEKLY,
        title="Group 1",
        weekday=0,
        start_time="14:00",
        anchor="UTC",
        duration_minutes=120,
    )
    url = f"/courses/{cast.run.course.slug}/{cast.run.slug}/schedule/"
    outside = cast.client_for("participant").get(url).content.decode()
    assert "you are not in a weekly group yet" in outside
    group.members.add(cast.participant)
    inside = cast.client_for("participant").get(url).content.decode()
    assert "you are not in a weekly group yet" not in inside


def test_moving_into_the_repeated_hour_asks_which_one_and_changes_nothing(cast: Cast) -> None:
    occurrence = weekly_series(cast.run).occurrences.first()

    response = cast.client_for("facilitator").post(
        _url(cast, "scheduling:occurrence_move", pk=occurrence.pk),  # type: ignore[union-attr]
        {"starts_at": "2027-10-31T02:30", "timezone": "Europe/Berlin", "note": "moved"},
    )

    occurrence.refresh_from_db()  # type: ignore[union-attr]
    assert response.status_code == 400
    assert (
        "2027-10-31 02:30 occurs twice in Europe/Berlin (the clocks go back): first at "
        "UTC+02:00, then at UTC+01:00. Say which one is meant."
    ) in response.content.decode()
    assert 'value="moved"' in response.content.decode()
    assert occurrence.sequence == 0  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("fold", "instant"),
    [
        ("0", datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),
        ("1", datetime(2027, 10, 31, 1, 30, tzinfo=UTC)),
    ],
)
def test_moving_into_the_repeated_hour_takes_the_chosen_instant(
    cast: Cast, fold: str, instant: datetime
) -> None:
    occurrence = weekly_series(cast.run, duration_minutes=60).occurrences.first()

    cast.client_for("facilitator").post(
        _url(cast, "scheduling:occurrence_move", pk=occurrence.pk),  # type: ignore[union-attr]
        {"starts_at": "2027-10-31T02:30", "timezone": "Europe/Berlin", "fold": fold, "note": ""},
    )

    occurrence.refresh_from_db()  # type: ignore[union-attr]
    assert (occurrence.starts_at, occurrence.ends_at) == (instant, instant + timedelta(hours=1))  # type: ignore[union-attr]
