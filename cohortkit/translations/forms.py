from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cohortkit.translations.checks import check_translation
from cohortkit.translations.exchange import FORMATS
from cohortkit.translations.models import State, validate_language

FORMAT_CHOICES = [
    ("po", _("gettext PO")),
    ("xliff", _("XLIFF 1.2")),
    ("bundle", _("JSON message bundle (wiki Translate extension)")),
]
assert [code for code, _label in FORMAT_CHOICES] == list(FORMATS)  # noqa: S101 - kept in step


class TranslationForm(forms.Form):
    text = forms.CharField(
        label=_("Translation"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, source: str, unit_id: int, **kwargs: Any) -> None:
        # The textarea's id is the editor's `text-<unit>`, so the error summary links to it.
        kwargs["auto_id"] = f"%s-{unit_id}"
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        problems = check_translation(self.source, text)
        if problems:
            raise ValidationError(problems)
        return text


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All units")),
            (State.UNTRANSLATED, _("Untranslated")),
            (State.OUTDATED, _("Outdated")),
            (State.TRANSLATED, _("Waiting for review")),
            (State.REVIEWED, _("Reviewed")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Translated file"),
        help_text=_("PO, XLIFF or JSON message bundle, exported from this page or a wiki."),
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Recognise from the content")), *FORMAT_CHOICES],
    )
    force = forms.BooleanField(
        label=_("Replace reviewed translations that differ"),
        required=False,
        help_text=_("Otherwise they are kept, and the file's version is listed as skipped."),
    )


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="po")


class LanguageForm(forms.Form):
    language = forms.CharField(
        label=_("Language code"),
        max_length=16,
        help_text=_("For example es, fr, ar, pt-br, sw."),
        validators=[validate_language],
    )

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_language(self) -> str:
        language: str = self.cleaned_data["language"].strip().lower()
        if language == self.source:
            raise ValidationError(_("This is the course's own language."))
        return language


class VersionForm(forms.Form):
    is_published = forms.BooleanField(label=_("Published for learners"), required=False)
    shows_unreviewed = forms.BooleanField(
        label=_("Show translations not yet reviewed"), required=False
    )


class ContentLanguageForm(forms.Form):
    language = forms.CharField(max_length=16, validators=[validate_language])
    next = forms.CharField(max_length=2000, required=False)
