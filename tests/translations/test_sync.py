import pytest
from django.db import connection

from cohortkit.courses.models import Topic
from cohortkit.translations.markdown_units import join_units, split_units
from cohortkit.translations.models import SourceUnit, State, Translation
from cohortkit.translations.services import review_translation, save_translation, sync_units
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _translate_all(cast: Cast, languages: list[str]) -> None:
    for unit in SourceUnit.objects.filter(course=cast.run.course):
        for language in languages:
            translation = save_translation(
                unit, language=language, text=f"[{language}] {unit.text}", by=cast.coordinator,
                at=cast.run.applications_open_at,
            )  # fmt: skip
            review_translation(translation, by=cast.coordinator, at=cast.run.applications_open_at)


def test_sync_extracts_course_run_module_topic_and_body_units(content: Cast) -> None:
    sync_units(content.run.course)
    run = content.run.slug
    units = list(
        SourceUnit.objects.filter(course=content.run.course).values_list("key", "kind", "text")
    )
    assert units[:4] == [
        ("course.title", "title", content.run.course.title),
        ("course.summary", "text", "A course."),
        ("course.audience", "text", "Volunteers."),
        (f"run.{content.other_run.slug}.title", "title", content.other_run.title),
    ] or units[3][0].startswith("run.")
    body = [u for u in units if ".body." in u[0]]
    assert body == [
        (f"run.{run}.m1.t1.body.1", "heading", "Know yourself"),
        (f"run.{run}.m1.t1.body.2", "paragraph", "Read the <a1>guide</a1> first."),
        (f"run.{run}.m1.t1.body.3", "list-item", "what your group wants;"),
        (f"run.{run}.m1.t1.body.4", "list-item", "who could help."),
    ]


def test_editing_an_english_paragraph_marks_exactly_that_unit_outdated_in_every_language(
    content: Cast,
) -> None:
    course = content.run.course
    sync_units(course)
    _translate_all(content, ["es", "ar", "fr"])
    topic = Topic.objects.get(module__run=content.run)
    topic.body = topic.body.replace("Read the [guide]", "Please read the [guide]")
    topic.save()

    report = sync_units(course)

    key = f"run.{content.run.slug}.m1.t1.body.2"
    assert report.changed == [key]
    outdated = set(
        Translation.objects.filter(state=State.OUTDATED).values_list("unit__key", "language")
    )
    assert outdated == {(key, "es"), (key, "ar"), (key, "fr")}
    assert Translation.objects.exclude(state__in=[State.OUTDATED, State.REVIEWED]).count() == 0
    kept = Translation.objects.get(unit__key=key, language="es")
    assert kept.previous_text == kept.text == "[es] Read the <a1>guide</a1> first."
    assert kept.source_text_at_translation == "Read the <a1>guide</a1> first."


def test_sync_leaves_unchanged_units_and_their_translations_alone(content: Cast) -> None:
    course = content.run.course
    sync_units(course)
    _translate_all(content, ["es"])
    before = list(Translation.objects.order_by("pk").values())

    report = sync_units(course)

    assert (report.created, report.changed, report.removed) == ([], [], [])
    assert list(Translation.objects.order_by("pk").values()) == before


def test_inserting_a_paragraph_keeps_the_translations_of_the_shifted_ones(content: Cast) -> None:
    course = content.run.course
    sync_units(course)
    _translate_all(content, ["es"])
    topic = Topic.objects.get(module__run=content.run)
    topic.body = topic.body.replace("## Know yourself\n\n", "## Know yourself\n\nNew intro.\n\n")
    topic.save()

    sync_units(course)

    states = dict(
        Translation.objects.filter(unit__key__contains=".body.").values_list("unit__key", "state")
    )
    run = content.run.slug
    # Units 3-5 now hold the texts of old units 2-4: translation memory refills them.
    assert states == {
        f"run.{run}.m1.t1.body.1": State.REVIEWED,
        f"run.{run}.m1.t1.body.2": State.OUTDATED,
        f"run.{run}.m1.t1.body.3": State.REVIEWED,
        f"run.{run}.m1.t1.body.4": State.REVIEWED,
        f"run.{run}.m1.t1.body.5": State.REVIEWED,
    }
    assert Translation.objects.get(unit__key=f"run.{run}.m1.t1.body.5").text == (
        "[es] who could help."
    )


def test_reverting_a_source_change_restores_the_translation(content: Cast) -> None:
    course = content.run.course
    sync_units(course)
    _translate_all(content, ["es"])
    topic = Topic.objects.get(module__run=content.run)
    original = topic.body
    topic.body = original.replace("first", "at once")
    topic.save()
    sync_units(course)
    topic.body = original
    topic.save()

    sync_units(course)

    assert set(Translation.objects.values_list("state", flat=True)) == {State.REVIEWED}


def test_saving_content_syncs_units_after_commit(
    content: Cast, django_capture_on_commit_callbacks: object
) -> None:
    # The fixture's saves queued a sync that the test transaction never commits; drop it so
    # that the sync queued below is the one the capture runs.
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        topic = Topic.objects.get(module__run=content.run)
        topic.title = "Know your group"
        topic.save()
        topic.module.save()
    unit = SourceUnit.objects.get(key=f"run.{content.run.slug}.m1.t1.title")
    assert unit.text == "Know your group"


def test_split_and_join_restore_markdown_with_links_lists_quotes_and_code() -> None:
    markdown = (
        'Title\n=====\n\n> a [link](https://example.org "t") and ![pic](p.png)\n> more\n\n'
        "1. one\n   two\n2. three\n\n```\nnot translated\n```\n"
    )
    units = split_units(markdown)
    assert [unit.text for unit in units] == [
        "Title", "a <a1>link</a1> and <img2/>\nmore", "one\ntwo", "three",
    ]  # fmt: skip
    assert join_units(markdown, [unit.text for unit in units]) == markdown
    assert join_units(markdown, [None, "un <a1>enlace</a1> y <img2/>", None, "tres"]) == (
        'Title\n=====\n\n> un [enlace](https://example.org "t") y ![pic](p.png)\n\n'
        "1. one\n   two\n2. tres\n\n```\nnot translated\n```\n"
    )
