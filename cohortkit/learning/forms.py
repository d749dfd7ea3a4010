from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cohortkit.courses.models import Module, Run
from cohortkit.learning.models import (
    Assignment,
    HelpKind,
    LearningPolicy,
    QuestionMail,
    SubmissionStatus,
    SupportActionKind,
)
from cohortkit.learning.translation_units import assignment_key
from cohortkit.learning.uploads import MAX_UPLOAD_BYTES, name_matches, sniff
from cohortkit.translations.queries import TextLookup

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, [link](https://example.org), - list items.")


def check_upload(upload: UploadedFile) -> str:
    """The upload's real content type, or ValidationError naming what is wrong."""
    size = upload.size or 0
    if size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s."),
            code="too_large",
            params={
                "name": upload.name,
                "size": filesizeformat(size),
                "limit": filesizeformat(MAX_UPLOAD_BYTES),
            },
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise forms.ValidationError(
            _("“%(name)s” is not a PNG, JPEG, GIF or WebP image or a PDF document."),
            code="unknown_type",
            params={"name": upload.name},
        )
    if not name_matches(upload.name or "", content_type):
        raise forms.ValidationError(
            _("“%(name)s” does not contain what its name says (its content is %(type)s)."),
            code="mismatch",
            params={"name": upload.name, "type": content_type},
        )
    return content_type


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 18}), required=False,
        help_text=MARKDOWN_HELP,
    )  # fmt: skip


class PreviewForm(forms.Form):
    body = forms.CharField(required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Image or document"),
        help_text=_("PNG, JPEG, GIF, WebP or PDF, at most 5 MB."),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        self.content_type = check_upload(upload)
        return upload


class ToggleForm(forms.Form):
    done = forms.BooleanField(required=False)


class ContentChoiceField(forms.ModelChoiceField):
    """A choice among course content, each named by `label_of` (set by the form: the text in
    the reader's content language) instead of `str()`, which gives the source text."""

    label_of: Callable[[Any], str] = str

    def label_from_instance(self, obj: Any) -> str:
        return self.label_of(obj)


class AssignmentForm(forms.ModelForm):
    """With `texts` (the view's `content_lookup`), modules are offered in the reader's
    content language; without it, in the source."""

    class Meta:
        model = Assignment
        fields = [
            "title",
            "kind",
            "module",
            "instructions",
            "due_at",
            "accepts_late",
            "is_required",
        ]
        widgets = {"due_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}
        help_texts = {"due_at": _("In your own time zone.")}
        field_classes = {"module": ContentChoiceField}

    def __init__(
        self, *args: Any, run: Run, texts: TextLookup | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        module = cast(ContentChoiceField, self.fields["module"])  # Meta.field_classes
        module.queryset = Module.objects.filter(run=run).select_related("run")
        if texts is not None:
            module.label_of = lambda item: f"{item.position}. {texts.module(item)}"


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Your work"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MARKDOWN_HELP,
    )  # fmt: skip
    link = forms.URLField(
        label=_("Link"), required=False, max_length=1000, assume_scheme="https",
        help_text=_("For example a document or a wiki page."),
    )  # fmt: skip
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PNG, JPEG, GIF, WebP or PDF, at most 5 MB.")
    )

    def clean_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("file")
        self.content_type = check_upload(upload) if upload else ""
        return upload


class FeedbackForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (SubmissionStatus.ACCEPTED.value, SubmissionStatus.ACCEPTED.label),
            (SubmissionStatus.NEEDS_WORK.value, SubmissionStatus.NEEDS_WORK.label),
        ],
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )  # fmt: skip


def _module_choices(modules: list[Module], texts: TextLookup | None) -> list[tuple[str, str]]:
    return [
        (str(m.position), f"{m.position}. {texts.module(m) if texts else m.title}") for m in modules
    ]


class ThreadForm(forms.Form):
    """A question; with `modules`, asked about one of them (or in general, left blank)."""

    module = forms.TypedChoiceField(label=_("About"), required=False, coerce=int, empty_value=None)
    title = forms.CharField(label=_("Question in a line"), max_length=200)
    body = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 6}), help_text=MARKDOWN_HELP
    )

    def __init__(
        self,
        *args: Any,
        modules: list[Module] | None = None,
        texts: TextLookup | None = None,
        **kwargs: Any,
    ) -> None:
        # Its own ids: the question list also has the filter form, with a "module" field.
        kwargs.setdefault("auto_id", "ask-%s")
        super().__init__(*args, **kwargs)
        if modules is None:
            del self.fields["module"]
        else:
            field = cast(forms.TypedChoiceField, self.fields["module"])
            field.choices = [("", _("The course in general")), *_module_choices(modules, texts)]


class ThreadFilterForm(forms.Form):
    """The question list's filter and order (a GET form: works without JavaScript)."""

    SORTS = [
        ("unanswered", _("Unanswered first")),
        ("recent", _("Latest activity first")),
        ("oldest", _("Oldest first")),
    ]

    module = forms.TypedChoiceField(label=_("Module"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORTS)

    def __init__(
        self, *args: Any, modules: list[Module], texts: TextLookup | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["module"])
        field.choices = [
            ("", _("All questions")),
            ("0", _("General questions (no module)")),
            *_module_choices(modules, texts),
        ]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}), help_text=MARKDOWN_HELP
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"), max_length=500,
        help_text=_("Shown to staff and to the author."),
    )  # fmt: skip


class AnsweredForm(forms.Form):
    answered = forms.BooleanField(required=False)


class TalkPreferenceForm(forms.Form):
    """Reply notices; with `staff`, also how new questions reach the person."""

    mail_on_reply = forms.BooleanField(
        label=_("E-mail me when someone replies in a thread I started or replied to"),
        required=False,
    )
    question_mail = forms.ChoiceField(
        label=_("New questions in the runs you facilitate or coordinate"),
        choices=QuestionMail.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["question_mail"]


class SupportActionForm(forms.Form):
    """With `texts` (the view's `content_lookup`), assignments and runs are offered in the
    reader's content language; without it, in the source."""

    kind = forms.ChoiceField(
        label=_("Action"), choices=SupportActionKind.choices, widget=forms.RadioSelect
    )
    assignment = ContentChoiceField(
        label=_("Assignment (for an extension)"), queryset=Assignment.objects.none(), required=False
    )
    due_at = forms.DateTimeField(
        label=_("New due date (for an extension)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("In your own time zone."),
    )
    next_run = ContentChoiceField(
        label=_("Continue in run (for a pause)"), queryset=Run.objects.none(), required=False,
        help_text=_("Their done topics are carried over."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Message to the participant"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip

    def __init__(
        self, *args: Any, run: Run, texts: TextLookup | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        assignment = cast(ContentChoiceField, self.fields["assignment"])
        next_run = cast(ContentChoiceField, self.fields["next_run"])
        assignment.queryset = Assignment.objects.filter(run=run).select_related("run")
        next_run.queryset = Run.objects.filter(
            course=run.course, starts_on__gt=run.starts_on
        ).select_related("course")
        if texts is not None:
            course = texts.text("course.title", run.course.title)
            assignment.label_of = lambda item: texts.text(assignment_key(item, "title"), item.title)
            next_run.label_of = lambda later: f"{course} ({texts.run(later)})"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == SupportActionKind.EXTENSION:
            if not data.get("assignment"):
                self.add_error("assignment", _("Choose the assignment to extend."))
            if not data.get("due_at"):
                self.add_error("due_at", _("Give the new due date."))
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=500)


class CompletionRulesForm(forms.ModelForm):
    """A run's completion rules and at-risk thresholds (LearningPolicy)."""

    class Meta:
        model = LearningPolicy
        fields = [
            "requires_all_topics",
            "requires_assignments",
            "min_attendance_percent",
            "requires_final_review",
            "requires_exercises",
            "inactive_days",
            "missed_sessions",
        ]

    def clean_min_attendance_percent(self) -> int | None:
        value: int | None = self.cleaned_data.get("min_attendance_percent")
        if value is not None and not 1 <= value <= 100:
            raise ValidationError(
                _("Write a percentage from 1 to 100, or leave it empty for no attendance rule.")
            )
        return value

    def clean_inactive_days(self) -> int:
        value: int = self.cleaned_data["inactive_days"]
        if value < 1:
            raise ValidationError(_("At least one day."))
        return value


class HelpRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would help you?"), choices=HelpKind.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Anything you want the team to know"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class HelpAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the participant"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
