"""Rubric texts in the reader's content language: `{% criterion_text step criterion %}`."""

from django import template
from django.utils.safestring import SafeString

from cohortkit.reviews.models import Criterion, FeedbackPrompt, ReviewStep
from cohortkit.reviews.translation_units import criterion_key, prompt_key
from cohortkit.translations.templatetags.translations import translated

register = template.Library()


@register.simple_tag(takes_context=True)
def criterion_text(
    context: template.Context, step: ReviewStep, criterion: Criterion, field: str = "title"
) -> SafeString:
    source = str(getattr(criterion, field))
    return translated(context, step.run.course, criterion_key(step, criterion, field), source)


@register.simple_tag(takes_context=True)
def prompt_text(context: template.Context, step: ReviewStep, prompt: FeedbackPrompt) -> SafeString:
    return translated(context, step.run.course, prompt_key(step, prompt), prompt.text)
