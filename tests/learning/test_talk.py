"""Q&A: every question of a run in one list, the module filter, the module page's questions
(where topics' "talk page" links lead) and the staff's notices of new questions."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from cohortkit.courses.models import Role
from cohortkit.learning.models import QuestionMail, TalkPreference, Thread
from cohortkit.learning.services.talk import send_question_digests, start_thread
from cohortkit.notifications.models import OutboxMessage
from tests.conftest import Cast
from tests.factories import ModuleFactory, RunRoleFactory, TopicFactory, UserFactory
from tests.factories.learning import ReplyFactory, ThreadFactory
from tests.learning.conftest import IN_RUN
from tests.payloads import xss_payloads
from tests.queries import forget_kept_pages


def kwargs_of(cast: Cast) -> dict[str, str]:
    return {"slug": cast.run.course.slug, "run": cast.run.slug}


def titles(page: Any) -> list[str]:
    return [thread.title for thread in page.context["threads"]]


@pytest.fixture
def questions(cast: Cast) -> dict[str, Thread]:
    """Two modules; a general question and one per module; one answered, one old."""
    one = ModuleFactory(run=cast.run, position=1, title="Wikis")
    two = ModuleFactory(run=cast.run, position=2, title="Sources")
    at = datetime(2021, 2, 10, tzinfo=UTC)
    made = {
        "general": ThreadFactory(run=cast.run, title="General", last_activity_at=at),
        "answered": ThreadFactory(
            run=cast.run, module=one, title="Answered", is_answered=True, last_activity_at=at
        ),
        "old": ThreadFactory(
            run=cast.run, module=one, title="Old", last_activity_at=datetime(2021, 2, 5, tzinfo=UTC)
        ),
        "sources": ThreadFactory(
            run=cast.run, module=two, title="Sources?", last_activity_at=datetime(2021, 2, 8, tzinfo=UTC)
        ),
    }  # fmt: skip
    ThreadFactory(run=cast.other_run, title="Elsewhere")
    return made


def test_the_question_list_holds_module_and_general_questions_unanswered_first(
    cast: Cast, questions: dict[str, Thread]
) -> None:
    page = cast.client_for("participant").get(reverse("learning:talk", kwargs=kwargs_of(cast)))
    assert titles(page) == ["General", "Sources?", "Old", "Answered"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?module=1", ["Old", "Answered"]),
        ("?module=2", ["Sources?"]),
        ("?module=0", ["General"]),
        ("?sort=recent", ["Answered", "General", "Sources?", "Old"]),
        ("?module=1&sort=oldest", ["Answered", "Old"]),
        ("?module=&sort=", ["General", "Sources?", "Old", "Answered"]),
    ],
)
def test_the_module_filter_and_order_are_get_parameters(
    cast: Cast, questions: dict[str, Thread], query: str, expected: list[str]
) -> None:
    url = reverse("learning:talk", kwargs=kwargs_of(cast)) + query
    assert titles(cast.client_for("participant").get(url)) == expected


def test_an_unknown_module_in_the_filter_is_named_and_the_list_stays_whole(
    cast: Cast, questions: dict[str, Thread]
) -> None:
    url = reverse("learning:talk", kwargs=kwargs_of(cast)) + "?module=9"
    page = cast.client_for("participant").get(url)
    assert (page.status_code, titles(page)) == (200, ["General", "Sources?", "Old", "Answered"])
    assert "Select a valid choice. 9 is not one of the available choices." in page.content.decode()


def test_the_module_address_lists_that_modules_questions(
    cast: Cast, questions: dict[str, Thread]
) -> None:
    url = reverse("learning:module_talk", kwargs={**kwargs_of(cast), "position": 1})
    assert titles(cast.client_for("participant").get(url)) == ["Old", "Answered"]
    missing = reverse("learning:module_talk", kwargs={**kwargs_of(cast), "position": 7})
    assert cast.client_for("participant").get(missing).status_code == 404


@pytest.mark.parametrize("count", [1, 15])
def test_the_question_list_makes_the_same_queries_for_one_or_many_questions(
    cast: Cast, count: int
) -> None:
    modules = [ModuleFactory(run=cast.run, position=n + 1) for n in range(count)]
    for module in modules:
        thread = ThreadFactory(run=cast.run, module=module, author=UserFactory())
        ReplyFactory(thread=thread)
    client = cast.client_for("participant")
    url = reverse("learning:talk", kwargs=kwargs_of(cast))
    client.get(url)
    forget_kept_pages()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert len(page.context["threads"]) == count
    assert len(queries) == 7


def test_asking_from_the_list_about_a_module_or_in_general(
    cast: Cast, questions: dict[str, Thread]
) -> None:
    client = cast.client_for("participant")
    url = reverse("learning:talk", kwargs=kwargs_of(cast))
    client.post(url, {"module": "2", "title": "Which source?", "body": "Please."})
    client.post(url, {"module": "", "title": "Anything?", "body": "Yes."})
    # The module page's short form has no choice: it asks about its own module.
    module_url = reverse("learning:module_talk", kwargs={**kwargs_of(cast), "position": 1})
    client.post(module_url, {"title": "Here?", "body": "Hm."})
    asked = Thread.objects.filter(title__in=["Which source?", "Anything?", "Here?"])
    assert sorted((t.title, t.module.position if t.module else None) for t in asked) == [
        ("Anything?", None),
        ("Here?", 1),
        ("Which source?", 2),
    ]


def test_a_refused_question_keeps_what_was_typed_and_names_the_field(cast: Cast) -> None:
    ModuleFactory(run=cast.run, position=1)
    url = reverse("learning:talk", kwargs=kwargs_of(cast))
    page = cast.client_for("participant").post(url, {"module": "1", "title": "", "body": "Kept"})
    html = page.content.decode()
    assert (page.status_code, 'href="#ask-title"' in html, ">\nKept</textarea>" in html) == (
        400,
        True,
        True,
    )


def test_hostile_titles_are_shown_as_text_in_the_list(cast: Cast) -> None:
    texts = [text[:200] for text in xss_payloads()[:300]]
    Thread.objects.bulk_create(
        Thread(run=cast.run, title=text, body="x", created_at=IN_RUN, last_activity_at=IN_RUN)
        for text in texts
    )
    page = cast.client_for("participant").get(reverse("learning:talk", kwargs=kwargs_of(cast)))
    html = page.content.decode()
    assert [text for text in texts if f">{escape(text)}</a>" not in html] == []


def test_topics_talk_page_link_lands_on_the_module_questions_and_the_ask_form(
    cast: Cast,
) -> None:
    module = ModuleFactory(run=cast.run, position=1, release_week=0)
    TopicFactory(module=module, position=1, body="Ask on the [talk page](#questions).")
    ThreadFactory(run=cast.run, module=module, title="About this week")
    ThreadFactory(run=cast.run, title="Not about it")
    url = reverse("learning:module", kwargs={**kwargs_of(cast), "position": 1})
    with time_machine.travel(IN_RUN):
        html = cast.client_for("participant").get(url).content.decode()
    section = html[html.index('id="questions"') :]
    ask = reverse("learning:module_talk", kwargs={**kwargs_of(cast), "position": 1})
    assert (
        'href="#questions"' in html,
        "About this week" in section,
        "Not about it" in section,
        f'action="{ask}"' in section,
        'name="title"' in section,
    ) == (True, True, False, True, True)


# Staff notices of new questions


@pytest.fixture
def staff(cast: Cast) -> dict[str, Any]:
    """The cast's facilitator wants each question, the coordinator keeps the default (the
    daily digest), a second facilitator wants none."""
    TalkPreference.objects.create(user=cast.facilitator, question_mail=QuestionMail.EACH)
    quiet = UserFactory()
    RunRoleFactory(run=cast.run, user=quiet, role=Role.FACILITATOR)
    TalkPreference.objects.create(user=quiet, question_mail=QuestionMail.OFF)
    return {"quiet": quiet}


def test_a_new_question_mails_staff_who_want_each_and_schedules_the_daily_digest(
    cast: Cast, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    at = datetime(2021, 2, 10, 15, 30, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        thread = start_thread(
            cast.run, module=None, author=cast.participant, title="Stuck", body="Help", at=at
        )
    with django_capture_on_commit_callbacks(execute=True):
        start_thread(cast.run, module=None, author=cast.facilitator, title="Mine", body="x", at=at)
    mails = list(OutboxMessage.objects.values_list("recipient", "kind", "subject"))
    assert mails == [
        (cast.facilitator.email, "learning-question", f"New question in {cast.run.title}: Stuck")
    ]
    body = OutboxMessage.objects.get().body
    assert f"/talk/{thread.pk}/" in body
    digests = [
        (task.args_kwargs["args"], task.run_after)
        for task in DBTaskResult.objects.filter(task_path__endswith=".task_send_question_digests")
    ]
    # Once for the day (by its first question), at the end of the UTC day.
    assert digests == [(["2021-02-10"], datetime(2021, 2, 11, tzinfo=UTC))]


def test_the_daily_digest_lists_the_days_questions_for_staff_who_chose_it_once(
    cast: Cast, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cast.coordinator.timezone = "Asia/Kolkata"
    cast.coordinator.save()
    # Europe's clocks went forward on 28 March 2021; the digest day is the UTC day.
    ThreadFactory(
        run=cast.run, title="Late on the 27th", created_at=datetime(2021, 3, 27, 23, 45, tzinfo=UTC)
    )
    ThreadFactory(
        run=cast.run, title="Early on the 28th", created_at=datetime(2021, 3, 28, 0, 15, tzinfo=UTC)
    )
    ThreadFactory(
        run=cast.run,
        title="By the coordinator",
        author=cast.coordinator,
        created_at=datetime(2021, 3, 28, 9, tzinfo=UTC),
    )
    ThreadFactory(
        run=cast.run,
        title="Hidden",
        is_hidden=True,
        created_at=datetime(2021, 3, 28, 9, tzinfo=UTC),
    )
    ThreadFactory(
        run=cast.other_run, title="Other run", created_at=datetime(2021, 3, 28, 9, tzinfo=UTC)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_question_digests(day=date(2021, 3, 28)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        send_question_digests(day=date(2021, 3, 28))
    (mail,) = OutboxMessage.objects.all()
    assert (mail.recipient, mail.kind, mail.subject) == (
        cast.coordinator.email,
        "learning-question-digest",
        f"1 new question in {cast.run.title}",
    )
    # 00:15 UTC is 05:45 in Kolkata (UTC+05:30).
    assert ("Early on the 28th" in mail.body, "5:45" in mail.body, "Late on the 27th" in mail.body) == (
        True,
        True,
        False,
    )  # fmt: skip


def test_staff_choose_their_question_mail_on_the_notices_page(cast: Cast) -> None:
    url = reverse("learning:talk_settings", kwargs=kwargs_of(cast))
    client = cast.client_for("facilitator")
    assert "question_mail" in client.get(url).content.decode()
    client.post(url, {"mail_on_reply": "on", "question_mail": "each"})
    client.post(url, {"mail_on_reply": "on", "question_mail": "nonsense"})
    assert list(TalkPreference.objects.values_list("user", "mail_on_reply", "question_mail")) == [
        (cast.facilitator.pk, True, "each")
    ]
    # Participants are not asked (they get no question notices).
    assert "question_mail" not in cast.client_for("participant").get(url).content.decode()
