"""Show a course's text in the reader's content language.

    {% load translations %}
    {% translated course "course.title" course.title %}          → the text, or the source
                                                                    with a "not yet translated" badge
    {% translation course "course.summary" course.summary as t %} → a str with t.is_fallback, t.language
    {% translated_markdown course "course.description" course.description as md %}
    {% content_language_notice course %}                          → "This page is in …" + other languages

Keys are those of `registry.course_units` (`module_key`, `topic_title_key`, `topic_body_key`
build them for modules and topics). The language comes from `queries.content_language`;
one query per course and page loads every translation the page may need.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cohortkit.courses.models import Course, Module, Topic
from cohortkit.translations import registry
from cohortkit.translations.queries import (
    TextLookup,
    TranslatedText,
    content_language,
    is_bidi,
    language_name,
    published_languages,
)

register = template.Library()


def _lookup(context: template.Context, course: Course) -> tuple[TextLookup, list[str]]:
    # Kept on the request when there is one: included templates get a fresh render context,
    # and a page that includes a partial per row must still load translations once.
    cache: dict[int, tuple[TextLookup, list[str]]]
    holder = context.get("request")
    if holder is not None:
        cache = holder.__dict__.setdefault("_cohortkit_translations", {})
    else:
        cache = context.render_context.setdefault("cohortkit_translations", {})  # type: ignore[arg-type,assignment]
    if course.pk not in cache:
        available = published_languages(course)
        request = context.get("request")
        language = (
            content_language(request, course, available) if request is not None else course.language
        )
        cache[course.pk] = (TextLookup(course, language), available)
    return cache[course.pk]


def _html(text: TranslatedText) -> SafeString:
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
    return _html(translation(context, course, key, source_text))


@register.simple_tag(takes_context=True)
def translated_module(
    context: template.Context, module: Module, field: str = "title"
) -> SafeString:
    course = module.run.course
    return translated(context, course, registry.module_key(module, field), getattr(module, field))


@register.simple_tag(takes_context=True)
def translated_topic_title(context: template.Context, topic: Topic) -> SafeString:
    course = topic.module.run.course
    return translated(context, course, registry.topic_title_key(topic), topic.title)


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
