"""Where translation units come from: a registry of unit sources.

A source is a callable `(course) -> Iterable[UnitSpec]`. The translations app provides the
courses app's texts itself (`course_units` below). Any other app contributes its texts by
defining `units(course)` in a module `<app>/translation_units.py`; it is found through the
app registry, so the translations app never imports those apps by name. Keys must be stable
and unique within a course; prefix them with the app's name (`applications.q.12.label`).
Long Markdown texts are best split with `markdown_specs` (one unit per paragraph, as for
topic bodies, which is also what the `translated_markdown` template tag expects).

Such a module may also define `SAVED_WITH`, a mapping from each model whose saving or
deletion changes its units to the lookup path from that model to its course
(`{Assignment: "run__course"}`); the translations app then syncs the course after the
transaction commits (signals.py), so the other app never imports the translations app's
signals or services.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from django.db.models import Model, Prefetch

from cohortkit.accounts.discovery import discover
from cohortkit.courses.models import Course, Module, Run, Topic
from cohortkit.translations.markdown_units import split_units


@dataclass(frozen=True)
class UnitSpec:
    """One unit as a source reports it: what `sync_units` stores as a SourceUnit."""

    key: str
    text: str
    kind: str
    context: str = ""


UnitSource = Callable[[Course], Iterable[UnitSpec]]


def markdown_specs(key: str, markdown: str, context: str) -> Iterator[UnitSpec]:
    """One unit per heading, paragraph and list item: `<key>.1`, `<key>.2`, …

    Keys are positional: inserting a paragraph shifts the ones after it, but `sync_units`
    recognises unchanged text through translation memory, so their translations follow.
    """
    for number, unit in enumerate(split_units(markdown), start=1):
        yield UnitSpec(f"{key}.{number}", unit.text, unit.kind, context)


def course_units(course: Course) -> Iterator[UnitSpec]:
    """The courses app's texts: course, runs, modules, topic titles and topic content."""
    yield UnitSpec("course.title", course.title, "title", "Course title")
    yield UnitSpec("course.summary", course.summary, "text", "Course summary")
    yield from markdown_specs("course.description", course.description, "Course description")
    yield UnitSpec("course.audience", course.audience, "text", "Who the course is for")
    if course.workload_note:
        yield UnitSpec("course.workload", course.workload_note, "text", "Workload note")
    runs = course.runs.order_by("starts_on", "pk").prefetch_related(
        Prefetch(
            "modules",
            queryset=Module.objects.order_by("position").prefetch_related(
                Prefetch("topics", queryset=Topic.objects.order_by("position"))
            ),
        )
    )
    for run in runs:
        base = f"run.{run.slug}"
        yield UnitSpec(run_key(run), run.title, "title", f"Run {run.slug}: title")
        for module in run.modules.all():
            where = f"Run {run.slug} > module {module.position}"
            mkey = f"{base}.m{module.position}"
            yield UnitSpec(f"{mkey}.title", module.title, "title", f"{where}: title")
            if module.summary:
                yield UnitSpec(f"{mkey}.summary", module.summary, "text", f"{where}: summary")
            for topic in module.topics.all():
                twhere = f"{where} > topic {topic.position}"
                tkey = f"{mkey}.t{topic.position}"
                yield UnitSpec(f"{tkey}.title", topic.title, "title", f"{twhere}: title")
                yield from markdown_specs(f"{tkey}.body", topic.body, twhere)


@cache
def unit_modules() -> tuple[ModuleType, ...]:
    """Each app's `translation_units` module, in INSTALLED_APPS order."""
    return discover("translation_units")


@cache
def unit_sources() -> tuple[UnitSource, ...]:
    """Every source: the courses app's, then each app's `translation_units.units`."""
    sources: list[UnitSource] = [course_units]
    for module in unit_modules():
        source = getattr(module, "units", None)
        if source is not None:
            sources.append(source)
    return tuple(sources)


def saved_with() -> dict[type[Model], str]:
    """Every app's `SAVED_WITH`: model → lookup path from it to its course."""
    paths: dict[type[Model], str] = {}
    for module in unit_modules():
        paths.update(getattr(module, "SAVED_WITH", {}))
    return paths


def collect_units(course: Course) -> list[UnitSpec]:
    """The course's units from every source, in order; the first of a duplicate key wins."""
    seen: set[str] = set()
    specs = []
    for source in unit_sources():
        for spec in source(course):
            if spec.key in seen or not spec.text.strip():
                continue
            seen.add(spec.key)
            specs.append(spec)
    return specs


def topic_body_key(topic: Topic) -> str:
    """The key prefix of a topic's content units (`translated_markdown` takes it)."""
    return f"run.{topic.module.run.slug}.m{topic.module.position}.t{topic.position}.body"


def topic_title_key(topic: Topic) -> str:
    return f"run.{topic.module.run.slug}.m{topic.module.position}.t{topic.position}.title"


def module_key(module: Module, field: str = "title") -> str:
    return f"run.{module.run.slug}.m{module.position}.{field}"


def run_key(run: Run) -> str:
    return f"run.{run.slug}.title"
