"""Show a course's text in the reader's content language.

    {% load translations %}
    {% translated course "course.title" course.title %}          → the text, or the source
                                                                    with a "not yet translated" badge
    {% translation course "course.summary" course.summary as t %} → a str with t.is_fallback, t.language
    {% translated_markdown course "course.description" course.description as md %}
    {% content_language_notice course %}                          → "This page is in …" + other languages
    {% translated_run run %}, {% translated_module module "summary" %}, {% translated_topic_title topic %}
    {% run_translation run as t %}, {% module_translation module as t %},
    {% topic_title_translation topic as t %}                      → the same as a plain str, for <title>,
                                                                    attributes and accessible names
    {% load_course_list courses %}                                → before a list of courses: their titles,
                                                                    summaries and run titles in one load

Keys are those of `registry.course_units` (`run_key`, `module_key`, `topic_title_key`,
`topic_body_key` build them for runs, modules and topics). The language comes from
`queries.content_language`; `queries.content_texts` loads every translation the page may
need once per request and course, shared with the view's `content_lookup`
(`queries.load_content_texts` does it for many courses at once).
"""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cohortkit.courses.models import Course, Module, Run, Topic
from cohortkit.translations import registry
from cohortkit.translations.queries import (
    TextLookup,
    TranslatedText,
    content_texts,
    is_bidi,
    language_name,
    load_content_texts,
    published_languages,
)

register = template.Library()


def _lookup(context: template.Context, course: Course) -> tuple[TextLookup, list[str]]:
    # Kept on the request when there is one (`content_texts`): included templates get a
    # fresh render context, and a page that includes a partial per row, or whose view
    # already looked texts up for a form, must still load translations once.
    request = context.get("request")
    if request is not None:
        return content_texts(request, course)
    cache: dict[int, tuple[TextLookup, list[str]]]
    cache = context.render_context.setdefault("cohortkit_translations", {})  # type: ignore[arg-type,assignment]
    if course.pk not in cache:
        cache[course.pk] = (TextLookup(course, course.language), published_languages(course))
    return cache[course.pk]


def translated_html(text: TranslatedText) -> SafeString:
    """The text as HTML: a fallback (the source shown instead) isolated in its own language
    and direction, so its punctuation stays put in a right-to-left page, and marked."""
    if not text.is_fallback:
        return format_html("{}", str(text))
    return format_html(
        '<span lang="{}" dir="{}">{}</span> <span class="fallback" lang="{}">{}</span>',
        text.language,
        "rtl" if is_bidi(text.language) else "ltr",
        str(text),
        get_language(),
        _("not yet translated"),
    )


@register.simple_tag(takes_context=True)
def translation(
    context: template.Context, course: Course, key: str, source_text: str
) -> TranslatedText:
    return _lookup(context, course)[0].get(key, source_text)


@register.simple_tag(takes_context=True)
def translated(context: template.Context, course: Course, key: str, source_text: str) -> SafeString:
    return translated_html(translation(context, course, key, source_text))


@register.simple_tag(takes_context=True)
def translated_module(
    context: template.Context, module: Module, field: str = "title"
) -> SafeString:
    return translated_html(module_translation(context, module, field))


@register.simple_tag(takes_context=True)
def module_translation(
    context: template.Context, module: Module, field: str = "title"
) -> TranslatedText:
    return _lookup(context, module.run.course)[0].module(module, field)


@register.simple_tag(takes_context=True)
def translated_topic_title(context: template.Context, topic: Topic) -> SafeString:
    return translated_html(topic_title_translation(context, topic))


@register.simple_tag(takes_context=True)
def topic_title_translation(context: template.Context, topic: Topic) -> TranslatedText:
    course = topic.module.run.course
    return translation(context, course, registry.topic_title_key(topic), topic.title)


@register.simple_tag(takes_context=True)
def translated_run(context: template.Context, run: Run) -> SafeString:
    return translated_html(run_translation(context, run))


@register.simple_tag(takes_context=True)
def run_translation(context: template.Context, run: Run) -> TranslatedText:
    return _lookup(context, run.course)[0].run(run)


@register.simple_tag(takes_context=True)
def load_course_list(context: template.Context, courses: Iterable[Course]) -> str:
    """Load what a list of courses shows (titles, summaries, run titles, from runs
    prefetched) for every course at once: two queries however many courses and runs,
    instead of two per course. Put it before the list; it renders nothing."""
    request = context.get("request")
    if request is not None:
        courses = list(courses)
        keys = {"course.title", "course.summary"}
        keys.update(registry.run_key(run) for course in courses for run in course.runs.all())
        load_content_texts(request, courses, keys=keys)
    return ""


@register.simple_tag(takes_context=True)
def translated_markdown(
    context: template.Context, course: Course, key: str, markdown: str
) -> TranslatedText:
    """The Markdown with each translated unit replaced; is_fallback if any unit is not."""
    return _lookup(context, course)[0].markdown(key, markdown)


@register.inclusion_tag("translations/includes/language_notice.html", takes_context=True)
def content_language_notice(context: template.Context, course: Course) -> dict[str, object]:
    lookup, available = _lookup(context, course)
    request = context.get("request")
    return {
        "course": course,
        "language": lookup.language,
        "language_name": language_name(lookup.language),
        "bidi": is_bidi(lookup.language),
        "others": [(code, language_name(code)) for code in available if code != lookup.language],
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def content_language_code(context: template.Context, course: Course) -> str:
    return _lookup(context, course)[0].language


@register.filter
def bidi_dir(code: str) -> str:
    return "rtl" if is_bidi(code) else "ltr"


@register.simple_tag(takes_context=True)
def translated_topic_body(context: template.Context, topic: Topic) -> TranslatedText:
    """A topic's Markdown body in the reader's content language, unit by unit."""
    course = topic.module.run.course
    return translated_markdown(context, course, registry.topic_body_key(topic), topic.body)
