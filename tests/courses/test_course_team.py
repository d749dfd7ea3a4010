"""A course team runs a course from its own pages (issue 11 item 9): runs created empty or
copied from the previous one, dates validated in the run's zone (across DST, in half-hour
zones), roles given by e-mail or invitation, modules and topics added and reordered,
completion rules set."""

import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import travel

from cohortkit.accounts.models import User
from cohortkit.applications.models import (
    ApplicationForm,
    Criterion,
    EligibilityRule,
    Question,
    Quota,
)
from cohortkit.courses import services
from cohortkit.courses.models import Invitation, Module, Role, Run, RunRole, Topic
from cohortkit.learning.models import Assignment, LearningPolicy
from cohortkit.notifications.models import OutboxMessage
from cohortkit.reviews.models import Criterion as RubricCriterion
from cohortkit.reviews.models import FeedbackPrompt, ReviewStep
from cohortkit.scheduling.models import Occurrence, SessionKind
from cohortkit.translations.models import LanguageVersion, SourceUnit, State, Translation
from cohortkit.translations.services import sync_units
from tests.conftest import Cast
from tests.factories import ModuleFactory, RunFactory, RunRoleFactory, TopicFactory, UserFactory
from tests.payloads import xss_payloads
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def _source_run() -> Run:
    """The 2021 run with a bit of everything a copy takes along."""
    run = RunFactory(title="2021", slug="2021", timezone="Europe/Berlin")
    first = ModuleFactory(run=run, position=1, title="Introduction", release_week=0)
    second = ModuleFactory(run=run, position=2, title="Partners", release_week=1)
    TopicFactory(module=first, position=1, title="Welcome", body="Read this first.")
    TopicFactory(module=second, position=1, title="Mapping", body="Draw your map.")
    Assignment.objects.create(
        run=run,
        module=second,
        title="Partner map",
        instructions="Map them.",
        # Sunday of the first week, 23:59 in Berlin (CET).
        due_at=datetime(2021, 2, 7, 22, 59, tzinfo=UTC),
    )
    LearningPolicy.objects.create(run=run, requires_all_topics=False, min_attendance_percent=70)
    form = ApplicationForm.objects.create(run=run, introduction="Tell us about you.")
    region = Question.objects.create(
        form=form, position=1, label="Region", kind="choice", options="Africa\nAsia"
    )
    EligibilityRule.objects.create(run=run, column=region.key, allowed=["Africa"], reason="Pilot.")
    Quota.objects.create(run=run, kind="at_least", column=region.key, value="Asia", count=3)
    Criterion.objects.create(run=run, position=1, name="Motivation", weight=Decimal("1"))
    step = ReviewStep.objects.create(
        run=run,
        submissions_close_at=datetime(2021, 3, 22, 22, 59, tzinfo=UTC),
        reviews_due_at=datetime(2021, 3, 28, 21, 59, tzinfo=UTC),
        instructions="Present your plan.",
    )
    RubricCriterion.objects.create(step=step, position=1, title="Clarity")
    FeedbackPrompt.objects.create(step=step, position=1, text="What worked?")
    return run


def _create(source: Run | None, **changes: object) -> Run:
    fields: dict[str, object] = {
        "title": "2022",
        "slug": "2022",
        "timezone": "America/Mexico_City",
        "capacity": 30,
        "applications_open_at": datetime(2021, 12, 1, 15, tzinfo=UTC),
        "applications_close_at": datetime(2022, 1, 5, 15, tzinfo=UTC),
        "notification_at": datetime(2022, 1, 10, 18, tzinfo=UTC),
        "onboarding_at": datetime(2022, 1, 17, 16, tzinfo=UTC),
        "starts_on": date(2022, 1, 24),
        "weeks": 8,
    }
    fields.update(changes)
    course = source.course if source else RunFactory().course
    return services.create_run(course, copy_from=source, by=None, **fields)  # type: ignore[arg-type]


def test_copying_a_run_takes_its_outline_assignments_rules_forms_and_rubrics() -> None:
    source = _source_run()

    run = _create(source)

    assert [
        (m.position, m.title, m.release_week, [t.title for t in m.topics.all()])
        for m in run.modules.order_by("position")
    ] == [(1, "Introduction", 0, ["Welcome"]), (2, "Partners", 1, ["Mapping"])]
    assignment = Assignment.objects.get(run=run)
    # The same local time on the same day of the run: Sunday of week 1, 23:59 in Mexico City.
    assert (assignment.title, assignment.module.title, assignment.due_at) == (  # type: ignore[union-attr]
        "Partner map",
        "Partners",
        datetime(2022, 1, 30, 23, 59, tzinfo=run.zone),
    )
    policy = LearningPolicy.objects.get(run=run)
    assert (policy.requires_all_topics, policy.min_attendance_percent) == (False, 70)
    question = Question.objects.get(form__run=run)
    assert (
        question.label,
        question.options,
        ApplicationForm.objects.get(run=run).introduction,
    ) == (
        "Region",
        "Africa\nAsia",
        "Tell us about you.",
    )
    # Rules and quotas point at the copied question, not the old one.
    assert list(EligibilityRule.objects.filter(run=run).values_list("column", "allowed")) == [
        (question.key, ["Africa"])
    ]
    assert list(Quota.objects.filter(run=run).values_list("column", "value", "count")) == [
        (question.key, "Asia", 3)
    ]
    assert list(Criterion.objects.filter(run=run).values_list("name", "weight")) == [
        ("Motivation", Decimal("1.000"))
    ]
    step = ReviewStep.objects.get(run=run)
    assert (
        step.instructions,
        list(step.criteria.values_list("title", flat=True)),
        list(step.prompts.values_list("text", flat=True)),
        step.submissions_close_at,
    ) == (
        "Present your plan.",
        ["Clarity"],
        ["What worked?"],
        datetime(2022, 3, 14, 23, 59, tzinfo=run.zone),
    )
    # The source run is untouched.
    assert Module.objects.filter(run=source).count() == 2


def test_a_new_run_gets_its_onboarding_call_as_a_live_session_in_its_zone() -> None:
    run = _create(
        None, timezone="Asia/Kolkata", onboarding_at=datetime(2022, 1, 17, 4, 30, tzinfo=UTC)
    )

    occurrence = Occurrence.objects.select_related("session").get(session__run=run)

    assert (
        occurrence.session.kind,
        occurrence.session.anchor,
        occurrence.starts_at,
        occurrence.starts_at.astimezone(run.zone).time(),
        occurrence.week,
    ) == (
        SessionKind.ONBOARDING,
        "Asia/Kolkata",
        datetime(2022, 1, 17, 4, 30, tzinfo=UTC),
        time(10, 0),
        -1,
    )


def test_copying_carries_every_language_version_of_the_runs_units() -> None:
    source = _source_run()
    course = source.course
    LanguageVersion.objects.create(course=course, language="es")
    sync_units(course)
    units = {unit.key: unit for unit in SourceUnit.objects.filter(course=course)}
    welcome = units["run.2021.m1.t1.title"]
    question = Question.objects.get(form__run=source)
    region = units[f"applications.2021.q.{question.pk}.label"]
    assignment = Assignment.objects.get(run=source)
    map_title = units[f"learning.2021.assignment.{assignment.pk}.title"]
    Translation.objects.create(unit=welcome, language="es", text="Bienvenida", state=State.REVIEWED)
    Translation.objects.create(unit=region, language="es", text="Región", state=State.TRANSLATED)
    # An outdated one: memory alone would not carry it (its source text changed since).
    Translation.objects.create(
        unit=map_title,
        language="es",
        text="Mapa de socios (viejo)",
        state=State.OUTDATED,
        previous_text="Mapa de socios (viejo)",
        source_text_at_translation="Partners map",
    )

    run = _create(source)

    new_question = Question.objects.get(form__run=run)
    new_assignment = Assignment.objects.get(run=run)
    copied = dict(
        Translation.objects.filter(
            unit__course=course,
            language="es",
            unit__key__in=[
                "run.2022.m1.t1.title",
                f"applications.2022.q.{new_question.pk}.label",
                f"learning.2022.assignment.{new_assignment.pk}.title",
            ],
        ).values_list("unit__key", "state")
    )
    assert copied == {
        "run.2022.m1.t1.title": State.REVIEWED,
        f"applications.2022.q.{new_question.pk}.label": State.TRANSLATED,
        f"learning.2022.assignment.{new_assignment.pk}.title": State.OUTDATED,
    }


# ---- the run form: dates read in the run's zone, with clear messages ------------------------


def _form(**changes: str) -> dict[str, str]:
    data = {
        "title": "2022",
        "slug": "2022",
        "timezone": "Europe/Berlin",
        "capacity": "40",
        "applications_open_at": "2021-12-15T00:00",
        "applications_close_at": "2022-01-14T23:59",
        "notification_at": "2022-01-18T12:00",
        "onboarding_at": "2022-01-25T16:00",
        "starts_on": "2022-02-01",
        "weeks": "8",
        "copy_from": "",
    }
    data.update(changes)
    return data


def _errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    return re.findall(r'<li><a href="#id_(\w+)">[^<]*</a>: ([^<]*)</li>', response.content.decode())


def test_creating_a_run_from_the_page_reads_the_dates_in_a_half_hour_zone(cast: Cast) -> None:
    client = cast.client_for("coordinator")
    url = reverse("courses:run_new", kwargs={"slug": cast.run.course.slug})

    response = client.post(
        url,
        _form(
            timezone="Asia/Kolkata", onboarding_at="2022-01-25T20:30", copy_from=str(cast.run.pk)
        ),
    )

    run = Run.objects.get(course=cast.run.course, slug="2022")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "courses:team", kwargs={"slug": run.course.slug, "run": "2022"}
    )
    assert (run.applications_open_at, run.onboarding_at, run.starts_on) == (
        datetime(2021, 12, 14, 18, 30, tzinfo=UTC),
        datetime(2022, 1, 25, 15, tzinfo=UTC),
        date(2022, 2, 1),
    )
    assert RunRole.objects.filter(run=run, user=cast.coordinator, role=Role.COORDINATOR).exists()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"applications_close_at": "2021-12-14T09:00"},
            [
                (
                    "applications_close_at",
                    "Applications must close after they open (Dec. 15, 2021, midnight).",
                )
            ],
        ),
        (
            {"notification_at": "2022-01-14T12:00"},
            [
                (
                    "notification_at",
                    "Applicants are notified after applications close (Jan. 14, 2022, 11:59 p.m.).",
                )
            ],
        ),
        (
            {"starts_on": "2022-01-18"},
            [
                (
                    "onboarding_at",
                    "The onboarding call comes before the course begins (Jan. 18, 2022).",
                ),
                (
                    "starts_on",
                    "The course begins after applicants are notified (Jan. 18, 2022, noon): on a later day.",
                ),
            ],
        ),
        (
            {"onboarding_at": "2022-01-18T11:00"},
            [
                (
                    "onboarding_at",
                    "The onboarding call comes after applicants are notified (Jan. 18, 2022, noon).",
                )
            ],
        ),
        # Berlin skips 02:00-03:00 on 27 March 2022.
        (
            {"onboarding_at": "2022-03-27T02:30", "starts_on": "2022-04-04"},
            [
                (
                    "onboarding_at",
                    "2022-03-27 02:30 does not exist in Europe/Berlin (the clocks skip it). Choose another time.",
                )
            ],
        ),
        (
            {"applications_open_at": "15/12/2021"},
            [("applications_open_at", "Write a date and time, such as 2021-03-15 14:00.")],
        ),
        (
            {"timezone": "Mars/Olympus"},
            [
                (
                    "timezone",
                    "“Mars/Olympus” is not a known IANA time zone, such as Europe/Paris or Asia/Kolkata.",
                )
            ],
        ),
        ({"slug": "team"}, [("slug", "“team” is reserved; choose another.")]),
    ],
)
def test_wrong_dates_are_named_and_nothing_typed_is_lost(
    cast: Cast, changes: dict[str, str], expected: list[tuple[str, str]]
) -> None:
    client = cast.client_for("coordinator")
    url = reverse("courses:run_new", kwargs={"slug": cast.run.course.slug})
    data = _form(**changes)

    response = client.post(url, data)

    assert response.status_code == 400
    assert _errors(response) == expected
    html = response.content.decode()
    for name in ("applications_open_at", "notification_at", "onboarding_at", "starts_on"):
        assert f'value="{data[name]}"' in html
    assert not Run.objects.filter(slug="2022").exists()


def test_the_window_may_span_the_dst_change_and_keeps_local_wall_times(cast: Cast) -> None:
    client = cast.client_for("coordinator")
    url = reverse("courses:run_new", kwargs={"slug": cast.run.course.slug})

    client.post(
        url,
        _form(
            timezone="America/New_York",
            applications_open_at="2022-03-01T09:00",
            applications_close_at="2022-03-20T09:00",
            notification_at="2022-03-25T09:00",
            onboarding_at="2022-03-28T09:00",
            starts_on="2022-04-04",
        ),
    )

    run = Run.objects.get(slug="2022")
    # New York changes its clocks on 13 March 2022: 09:00 is 14:00 UTC before, 13:00 after.
    assert (run.applications_open_at, run.applications_close_at) == (
        datetime(2022, 3, 1, 14, tzinfo=UTC),
        datetime(2022, 3, 20, 13, tzinfo=UTC),
    )


def test_moving_the_onboarding_date_moves_its_session_and_tells_the_participants(
    cast: Cast,
) -> None:
    run = _create(None)
    RunRoleFactory(run=run, user=cast.coordinator, role=Role.COORDINATOR)
    RunRoleFactory(run=run, user=cast.participant, role=Role.PARTICIPANT)
    client = cast.client_for("coordinator")
    url = reverse("courses:run_settings", kwargs={"slug": run.course.slug, "run": run.slug})
    page = client.get(url).content.decode()
    assert 'value="2022-01-17T10:00"' in page  # 16:00 UTC in Mexico City (UTC-6)

    data = _form(
        timezone="America/Mexico_City",
        applications_open_at="2021-12-01T09:00",
        applications_close_at="2022-01-05T09:00",
        notification_at="2022-01-10T12:00",
        onboarding_at="2022-01-18T10:00",
        starts_on="2022-01-24",
    )

    with travel(datetime(2021, 12, 1, tzinfo=UTC), tick=False):
        response = client.post(url, data)

    occurrence = Occurrence.objects.get(session__run=run)
    assert response.status_code == 302
    assert occurrence.starts_at == datetime(2022, 1, 18, 16, tzinfo=UTC)
    assert list(
        OutboxMessage.objects.filter(kind="scheduling-change").values_list("recipient", flat=True)
    ) == [cast.participant.email]


# ---- roles and invitations ------------------------------------------------------------------


def test_inviting_an_existing_account_gives_the_role_and_mails_them(cast: Cast) -> None:
    person = UserFactory(email="Mei@example.org", interface_language="fr")
    client = cast.client_for("coordinator")

    client.post(
        reverse("courses:team_invite", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug}),
        {"email": "mei@EXAMPLE.org", "role": Role.FACILITATOR},
    )

    assert RunRole.objects.filter(run=cast.run, user=person, role=Role.FACILITATOR).exists()
    message = OutboxMessage.objects.get(kind="courses-role")
    assert (message.recipient, message.language) == ("Mei@example.org", "fr")
    assert Invitation.objects.count() == 0


def test_an_unknown_address_gets_an_invitation_that_grants_the_role_after_sign_up(
    cast: Cast,
) -> None:
    client = cast.client_for("coordinator")
    invite_url = reverse(
        "courses:team_invite", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug}
    )

    client.post(invite_url, {"email": "new.person@example.org", "role": Role.REVIEWER})
    client.post(invite_url, {"email": "new.person@example.org", "role": Role.REVIEWER})

    invitation = Invitation.objects.get()
    message = OutboxMessage.objects.get(kind="courses-invitation")
    link = f"http://127.0.0.1:8000/invitations/{invitation.token}/"
    assert (message.recipient, link in message.body, "/accounts/signup/" in message.body) == (
        "new.person@example.org",
        True,
        True,
    )
    # Signed up but not verified yet: the page says so and accepting is refused.
    newcomer = UserFactory(email="new.person@example.org", email_verified_at=None)
    visitor = Client()
    visitor.force_login(newcomer)
    assert "Verify your e-mail address first" in visitor.get(link).content.decode()
    assert visitor.post(link).status_code == 400
    newcomer.email_verified_at = datetime(2022, 1, 1, tzinfo=UTC)
    newcomer.save()

    accepted = visitor.post(link)

    assert accepted.status_code == 302
    assert RunRole.objects.filter(run=cast.run, user=newcomer, role=Role.REVIEWER).exists()
    assert visitor.get(link).status_code == 404  # used once


def test_an_invitation_is_refused_to_another_address(cast: Cast) -> None:
    invitation = services.invite_to_role(
        cast.run,
        email="a@example.org",
        role=Role.FACILITATOR,
        by=cast.coordinator,
        at=cast.run.starts_at,
    )
    someone = UserFactory(email="b@example.org")
    with pytest.raises(services.CourseTeamError, match="another e-mail address"):
        services.accept_invitation(invitation, user=someone, at=cast.run.starts_at)  # type: ignore[arg-type]


def test_removing_roles_keeps_a_coordinator(cast: Cast) -> None:
    client = cast.client_for("coordinator")
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug}
    facilitator = RunRole.objects.get(run=cast.run, user=cast.facilitator)
    mine = RunRole.objects.get(run=cast.run, user=cast.coordinator)

    client.post(reverse("courses:role_remove", kwargs={**kwargs, "pk": facilitator.pk}))
    refused = client.post(
        reverse("courses:role_remove", kwargs={**kwargs, "pk": mine.pk}), follow=True
    )

    assert not RunRole.objects.filter(pk=facilitator.pk).exists()
    assert RunRole.objects.filter(pk=mine.pk).exists()
    assert "You cannot remove your own coordinator role." in refused.content.decode()


def test_team_page_makes_the_same_number_of_queries_for_one_or_many_people(cast: Cast) -> None:
    client = cast.client_for("coordinator")
    url = reverse("courses:team", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug})

    few = page_queries(client, url)
    for n in range(12):
        RunRoleFactory(run=cast.run, role=Role.TRANSLATOR)
        Invitation.objects.create(
            run=cast.run,
            email=f"x{n}@example.org",
            role=Role.REVIEWER,
            created_at=cast.run.starts_at,
        )
    assert page_queries(client, url) == few


# ---- modules and topics ---------------------------------------------------------------------


def test_adding_and_reordering_modules_and_topics_from_the_outline_page(cast: Cast) -> None:
    client = cast.client_for("coordinator")
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug}
    client.post(
        reverse("courses:module_new", kwargs=kwargs),
        {"new-title": "Basics", "new-summary": "", "new-release_week": "0"},
    )
    client.post(
        reverse("courses:module_new", kwargs=kwargs),
        {"new-title": "Practice", "new-summary": "", "new-release_week": "1"},
    )
    basics, practice = Module.objects.filter(run=cast.run).order_by("position")
    for title in ["One", "Two", "Three"]:
        client.post(
            reverse("courses:topic_new", kwargs={**kwargs, "pk": basics.pk}),
            {f"m{basics.pk}-title": title},
        )
    three = Topic.objects.get(module=basics, title="Three")

    client.post(reverse("courses:topic_move", kwargs={**kwargs, "pk": three.pk, "direction": "up"}))
    client.post(reverse("courses:topic_move", kwargs={**kwargs, "pk": three.pk, "direction": "up"}))
    client.post(
        reverse("courses:topic_move", kwargs={**kwargs, "pk": three.pk, "direction": "up"})
    )  # already first
    client.post(
        reverse("courses:module_move", kwargs={**kwargs, "pk": practice.pk, "direction": "up"})
    )

    assert [
        (m.position, m.title, [t.title for t in m.topics.order_by("position")])
        for m in Module.objects.filter(run=cast.run).order_by("position")
    ] == [(1, "Practice", []), (2, "Basics", ["Three", "One", "Two"])]
    # The learners' module pages follow the new order.
    page = cast.client_for("participant").get(
        reverse("learning:module", kwargs={**kwargs, "position": 1})
    )
    assert page.context["module"].title == "Practice"


def test_a_module_released_after_the_run_is_refused_and_what_was_typed_stays(cast: Cast) -> None:
    client = cast.client_for("coordinator")
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug}
    payload = xss_payloads()[0]

    response = client.post(
        reverse("courses:module_new", kwargs=kwargs),
        {"new-title": payload, "new-summary": "Kept", "new-release_week": "8"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "The run has 8 weeks: the release week is 0 to 7." in html
    assert payload not in html  # escaped, not raw
    assert ">\nKept</textarea>" in html
    assert not Module.objects.filter(run=cast.run).exists()


@pytest.mark.parametrize("title", [*xss_payloads()[:5], "مرحبا بالعالم", "‮evil"])
def test_hostile_titles_are_stored_as_typed_and_shown_escaped(cast: Cast, title: str) -> None:
    module = ModuleFactory(run=cast.run, position=1)
    client = cast.client_for("coordinator")
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug}

    client.post(
        reverse("courses:topic_new", kwargs={**kwargs, "pk": module.pk}),
        {f"m{module.pk}-title": title},
    )
    page = client.get(reverse("courses:outline", kwargs=kwargs)).content.decode()

    assert Topic.objects.get(module=module).title == title.strip()
    if "<" in title:
        assert title not in page


def test_outline_page_makes_the_same_number_of_queries_for_one_or_many_modules(cast: Cast) -> None:
    client = cast.client_for("coordinator")
    url = reverse("courses:outline", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug})
    module = ModuleFactory(run=cast.run, position=1)
    TopicFactory(module=module, position=1)

    one = page_queries(client, url)
    for position in range(2, 9):
        extra = ModuleFactory(run=cast.run, position=position)
        for index in range(1, 5):
            TopicFactory(module=extra, position=index)
    assert page_queries(client, url) == one


# ---- completion rules -----------------------------------------------------------------------


def test_setting_completion_rules_from_the_page(cast: Cast) -> None:
    client = cast.client_for("coordinator")
    url = reverse(
        "learning:completion_rules", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug}
    )
    rules = {
        "requires_assignments": "on",
        "min_attendance_percent": "75",
        "inactive_days": "14",
        "missed_sessions": "3",
    }

    wrong = client.post(url, {**rules, "min_attendance_percent": "175"})
    saved = client.post(url, rules)

    assert wrong.status_code == 400
    assert "Write a percentage from 1 to 100" in wrong.content.decode()
    assert 'value="14"' in wrong.content.decode()
    assert saved.status_code == 302
    policy = LearningPolicy.objects.get(run=cast.run)
    assert (
        policy.requires_all_topics,
        policy.requires_assignments,
        policy.min_attendance_percent,
        policy.requires_final_review,
        policy.inactive_days,
        policy.missed_sessions,
    ) == (False, True, 75, False, 14, 3)


def test_release_dates_of_copied_weeks_follow_the_new_start(cast: Cast) -> None:
    source = _source_run()
    run = _create(source, starts_on=date(2022, 1, 24))
    module = run.modules.get(position=2)
    assert module.released_on() == date(2022, 1, 24) + timedelta(days=7)


def test_an_invited_address_gets_its_role_when_it_signs_up_and_confirms(cast: Cast) -> None:
    services.invite_to_role(
        cast.run,
        email="Wanjiru@Example.org",
        role=Role.FACILITATOR,
        by=cast.coordinator,
        at=cast.run.starts_at,
    )
    visitor = Client()
    visitor.post(
        "/accounts/signup/",
        {
            "display_name": "Wanjiru Example",
            "email": "wanjiru@example.org",
            "timezone": "Africa/Nairobi",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    person = User.objects.get(email="wanjiru@example.org")
    assert not RunRole.objects.filter(user=person).exists()  # not before the address is confirmed
    body = OutboxMessage.objects.get(kind="verify-email").body
    verify = re.search(r"https?://[^/\s]+(/accounts/verify/[^\s]+)", body).group(1)  # type: ignore[union-attr]

    confirmed = visitor.post(verify, follow=True)

    assert list(RunRole.objects.filter(user=person).values_list("run", "role")) == [
        (cast.run.pk, Role.FACILITATOR)
    ]
    assert "Your invitation is accepted: you are Facilitator in" in confirmed.content.decode()
    assert Invitation.objects.get().accepted_by == person


def test_a_wrong_address_is_named_and_kept_on_the_team_page(cast: Cast) -> None:
    client = cast.client_for("coordinator")
    url = reverse(
        "courses:team_invite", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug}
    )

    response = client.post(url, {"email": "mei at example.org", "role": Role.TRANSLATOR})

    html = response.content.decode()
    assert response.status_code == 400
    assert _errors(response) == [("email", "Enter a valid email address.")]
    assert 'value="mei at example.org"' in html
    assert '<option value="translator" selected>' in html
    assert (Invitation.objects.count(), OutboxMessage.objects.count()) == (0, 0)


@pytest.mark.parametrize("title", [*xss_payloads()[5:9], "2022 — دورة", "0"])
def test_hostile_run_titles_are_kept_and_escaped(cast: Cast, title: str) -> None:
    client = cast.client_for("coordinator")
    url = reverse("courses:run_new", kwargs={"slug": cast.run.course.slug})

    client.post(url, _form(title=title))
    run = Run.objects.get(slug="2022")
    page = client.get(run.get_absolute_url()).content.decode()

    assert run.title == title.strip()
    if "<" in title:
        assert title not in page


def test_the_new_run_form_starts_from_the_latest_runs_zone_seats_and_length(cast: Cast) -> None:
    RunFactory(
        course=cast.run.course,
        starts_on=date(2030, 1, 7),
        timezone="Asia/Kolkata",
        capacity=25,
        weeks=6,
    )
    url = reverse("courses:run_new", kwargs={"slug": cast.run.course.slug})

    form = cast.client_for("coordinator").get(url).context["form"]

    latest = Run.objects.get(starts_on=date(2030, 1, 7))
    assert {
        name: form.initial.get(name) for name in ("copy_from", "timezone", "capacity", "weeks")
    } == {
        "copy_from": latest.pk,
        "timezone": "Asia/Kolkata",
        "capacity": 25,
        "weeks": 6,
    }
