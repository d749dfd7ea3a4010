"""`{{ text|markdown }}`: sanitised HTML from Markdown (markdown-it, then nh3)."""

from django import template
from django.utils.safestring import SafeString

from cohortkit.learning.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(value: object) -> SafeString:
    return render_markdown(str(value or ""))
