"""Live-session texts in the reader's content language, through the translations app's
per-request lookup (so a schedule of many series loads nothing more):

    {% load session_texts %}
    {% session_title run session %}           → the title, or the source with the marker
    {% session_title_text run session %}      → the same as a plain str, for <title>
    {% session_agenda run session as agenda %} → a str with agenda.is_fallback, agenda.language
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from cohortkit.courses.models import Run
from cohortkit.scheduling.models import Session
from cohortkit.scheduling.translation_units import session_key
from cohortkit.translations.queries import TranslatedText
from cohortkit.translations.templatetags.translations import translated, translation

register = template.Library()


@register.simple_tag(takes_context=True)
def session_title(context: template.Context, run: Run, session: Session) -> SafeString:
    if not session.title:  # named by kind and number, in the reader's interface language
        return conditional_escape(session.default_title())
    return translated(context, run.course, session_key(run, session, "title"), session.title)


@register.simple_tag(takes_context=True)
def session_title_text(context: template.Context, run: Run, session: Session) -> TranslatedText:
    if not session.title:
        return TranslatedText(session.default_title(), language=get_language(), is_fallback=False)
    return translation(context, run.course, session_key(run, session, "title"), session.title)


@register.simple_tag(takes_context=True)
def session_agenda(context: template.Context, run: Run, session: Session) -> TranslatedText:
    return translation(context, run.course, session_key(run, session, "agenda"), session.agenda)
