from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Thread(models.Model):
    """A question on a run's talk page, or on one module's."""

    run = models.ForeignKey("courses.Run", on_delete=models.CASCADE, related_name="threads")
    module = models.ForeignKey(
        "courses.Module", on_delete=models.CASCADE, null=True, blank=True, related_name="threads"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("question"), help_text=_("Markdown."))
    is_answered = models.BooleanField(_("answered"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_activity_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Reply(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("reply"), help_text=_("Markdown."))
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"


class QuestionMail(models.TextChoices):
    """How staff (facilitators, coordinators) hear of new questions in their runs."""

    EACH = "each", _("An e-mail for each new question")
    DAILY = "daily", _("One e-mail a day listing the new questions")
    OFF = "off", _("No e-mail")


class TalkPreference(models.Model):
    """Whether a person wants e-mail when someone replies in a thread they take part in,
    and, as staff, how they hear of new questions. No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talk_preference"
    )
    mail_on_reply = models.BooleanField(_("e-mail me when someone replies"), default=True)
    question_mail = models.CharField(
        _("new questions (staff)"),
        max_length=8,
        choices=QuestionMail.choices,
        default=QuestionMail.DAILY,
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.mail_on_reply}"
