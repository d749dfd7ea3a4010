from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cohortkit.learning.models import Attachment, TopicCompletion
from cohortkit.learning.queries import is_released, module_release_at
from cohortkit.learning.uploads import MAX_UPLOAD_BYTES
from tests.conftest import Cast
from tests.factories import ModuleFactory, RunFactory, TopicFactory
from tests.learning.conftest import IN_RUN

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.mark.django_db
def test_module_opens_at_local_midnight_across_the_us_dst_change() -> None:
    # Week 6 of a run starting 2021-02-01 begins 2021-03-08; week 7 on 2021-03-15, after
    # the US moved its clocks (2021-03-14): midnight is then 04:00 UTC, not 05:00.
    run = RunFactory(timezone="America/New_York")
    before = ModuleFactory(run=run, release_week=5)
    after = ModuleFactory(run=run, release_week=6)
    assert module_release_at(before).astimezone(UTC) == datetime(2021, 3, 8, 5, tzinfo=UTC)
    assert module_release_at(after).astimezone(UTC) == datetime(2021, 3, 15, 4, tzinfo=UTC)
    assert is_released(after, at=datetime(2021, 3, 15, 3, 59, tzinfo=UTC)) is False
    assert is_released(after, at=datetime(2021, 3, 15, 4, 0, tzinfo=UTC)) is True


@pytest.mark.django_db
def test_module_opens_at_local_midnight_in_a_half_hour_zone() -> None:
    run = RunFactory(timezone="Asia/Kolkata", starts_on=date(2021, 2, 1))
    module = ModuleFactory(run=run, release_week=1)
    assert module_release_at(module).astimezone(UTC) == datetime(2021, 2, 7, 18, 30, tzinfo=UTC)


def test_unreleased_module_hides_topics_from_participants_but_not_staff(cast: Cast) -> None:
    module = ModuleFactory(run=cast.run, position=1, release_week=7)
    TopicFactory(module=module, title="Secret topic", body="Later.")
    url = reverse(
        "learning:module",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "position": 1},
    )
    with time_machine.travel(IN_RUN, tick=False):
        participant = cast.client_for("participant").get(url).content.decode()
        facilitator = cast.client_for("facilitator").get(url).content.decode()
    assert ("Secret topic" in participant, "Secret topic" in facilitator) == (False, True)


def test_a_module_not_yet_open_says_when_it_opens_in_the_readers_zone(cast: Cast) -> None:
    # The cast's run starts 2021-02-01 in UTC: week 7 opens 2021-03-15 00:00 UTC, which is
    # 05:30 in Kolkata (a half-hour zone) and still 14 March, 20:00, in New York (after
    # its DST change on 14 March).
    ModuleFactory(run=cast.run, position=1, release_week=6)
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug}
    participant = cast.users()["participant"]
    assert participant is not None
    seen = {}
    for zone in ("Asia/Kolkata", "America/New_York"):
        participant.timezone = zone
        participant.save(update_fields=["timezone"])
        with time_machine.travel(IN_RUN, tick=False):
            client = cast.client_for("participant")
            listed = client.get(reverse("learning:modules", kwargs=kwargs)).content.decode()
            detail = client.get(
                reverse("learning:module", kwargs={**kwargs, "position": 1})
            ).content.decode()
        seen[zone] = (listed, detail)
    for html in seen["Asia/Kolkata"]:
        assert 'datetime="2021-03-15T00:00:00+00:00"' in html
        assert 'March 15, 2021, 5:30 a.m. <span class="zone">Asia/Kolkata (UTC+05:30)' in html
    for html in seen["America/New_York"]:
        assert 'March 14, 2021, 8 p.m. <span class="zone">America/New_York (UTC-04:00)' in html


def test_participant_marks_a_topic_done_with_htmx_and_undoes_it(cast: Cast) -> None:
    topic = TopicFactory(module=ModuleFactory(run=cast.run, position=1))
    url = reverse(
        "learning:topic_done",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "pk": topic.pk},
    )
    client = cast.client_for("participant")
    with time_machine.travel(IN_RUN, tick=False):
        done = client.post(url, {"done": "on"}, headers={"HX-Request": "true"})
        assert list(TopicCompletion.objects.values_list("user", "topic", "done_at")) == [
            (cast.participant.pk, topic.pk, IN_RUN)
        ]
        undone = client.post(url, {}, headers={"HX-Request": "true"})
    assert TopicCompletion.objects.count() == 0
    assert "Mark as not done" in done.content.decode()
    assert "<html" not in done.content.decode()
    assert "Mark as done" in undone.content.decode()


def test_topic_in_an_unreleased_module_cannot_be_marked(cast: Cast) -> None:
    topic = TopicFactory(module=ModuleFactory(run=cast.run, position=1, release_week=7))
    url = reverse(
        "learning:topic_done",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "pk": topic.pk},
    )
    with time_machine.travel(IN_RUN, tick=False):
        assert cast.client_for("participant").post(url, {"done": "on"}).status_code == 403


def test_facilitator_edits_a_topic_and_previews_it_sanitised(cast: Cast) -> None:
    topic = TopicFactory(module=ModuleFactory(run=cast.run, position=1))
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug}
    client = cast.client_for("facilitator")
    preview = client.post(
        reverse("learning:preview", kwargs=kwargs), {"body": "**hi** <script>x</script>"}
    )
    assert preview.content.decode() == (
        '<div id="preview" class="prose" aria-live="polite"><p><strong>hi</strong> &lt;script&gt;x&lt;/script&gt;</p>\n</div>'
    )
    response = client.post(
        reverse("learning:topic_edit", kwargs={**kwargs, "pk": topic.pk}),
        {"title": "New", "body": "# New body"},
    )
    topic.refresh_from_db()
    assert (response.status_code, topic.title, topic.body) == (302, "New", "# New body")


def test_empty_title_is_refused_and_the_body_is_kept(cast: Cast) -> None:
    topic = TopicFactory(module=ModuleFactory(run=cast.run, position=1), body="old")
    url = reverse(
        "learning:topic_edit",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "pk": topic.pk},
    )
    response = cast.client_for("facilitator").post(url, {"title": "", "body": "typed text"})
    assert response.status_code == 200
    page = response.content.decode()
    assert ("typed text" in page, "This field is required." in page) == (True, True)


def _upload(cast: Cast, name: str, content: bytes) -> object:
    topic = TopicFactory(module=ModuleFactory(run=cast.run, position=1))
    url = reverse(
        "learning:upload",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "pk": topic.pk},
    )
    return cast.client_for("facilitator").post(url, {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "notes.txt",
            b"hello world",
            "“notes.txt” is not a PNG, JPEG, GIF or WebP image or a PDF document.",
        ),
        (
            "photo.png",
            PDF,
            "“photo.png” does not contain what its name says (its content is application/pdf).",
        ),
        (
            "evil.png",
            b"<script>alert(1)</script>",
            "“evil.png” is not a PNG, JPEG, GIF or WebP image or a PDF document.",
        ),
    ],
)
def test_uploads_are_judged_by_content(cast: Cast, name: str, content: bytes, message: str) -> None:
    response = _upload(cast, name, content)
    assert (response.status_code, Attachment.objects.count()) == (400, 0)  # type: ignore[attr-defined]
    assert (
        message.replace("“", "&ldquo;").replace("”", "&rdquo;") in response.content.decode()
        or message in response.content.decode()
    )  # type: ignore[attr-defined]


def test_oversized_upload_is_refused_with_the_limit(cast: Cast) -> None:
    response = _upload(cast, "big.pdf", b"%PDF-" + b"0" * MAX_UPLOAD_BYTES)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "at most 5.0\xa0MB" in response.content.decode()  # type: ignore[attr-defined]


def test_upload_is_stored_under_a_generated_name_and_served_as_an_attachment_to_members(
    cast: Cast, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    assert _upload(cast, "My Photo.PNG", PNG).status_code == 302  # type: ignore[attr-defined]
    attachment = Attachment.objects.get()
    assert attachment.file.name.startswith("learning/")
    assert attachment.file.name.endswith(".png")
    assert "Photo" not in attachment.file.name
    response = cast.client_for("participant").get(attachment.get_absolute_url())
    assert (response.status_code, response["Content-Type"], response["X-Content-Type-Options"]) == (
        200,
        "image/png",
        "nosniff",
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert (
        cast.client_for("other_participant").get(attachment.get_absolute_url()).status_code == 403
    )
    assert attachment.markdown() == f"![My Photo.PNG]({attachment.get_absolute_url()})"
