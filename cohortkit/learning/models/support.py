from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipantState(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    SELF_PACED = "self-paced", _("Finishing self-paced")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ParticipantStatus(models.Model):
    """A participant's standing in a run when it is not simply "active" (no row = active)."""

    run = models.ForeignKey("courses.Run", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        _("state"), max_length=16, choices=ParticipantState.choices, default=ParticipantState.ACTIVE
    )
    joins_run = models.ForeignKey(
        "courses.Run",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("continues in"),
    )
    self_paced_at = models.DateTimeField(
        _("studying at their own pace since"),
        null=True,
        blank=True,
        help_text=_("Their own deadlines count from the day this falls on in their zone."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "user"], name="learning_status_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.state}"


class SupportActionKind(models.TextChoices):
    EXTENSION = "extension", _("Extension")
    PAUSE = "pause", _("Pause")
    SELF_PACED = "self-paced", _("Switch to self-paced")
    WITHDRAWAL = "withdrawal", _("Withdrawal")


class SupportAction(models.Model):
    """What the coordinator did for a participant falling behind, kept as a record."""

    run = models.ForeignKey("courses.Run", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("action"), max_length=16, choices=SupportActionKind.choices)
    note = models.TextField(_("note to the participant"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    taken_at = models.DateTimeField()

    class Meta:
        ordering = ["-taken_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} — {self.participant}"


class HelpKind(models.TextChoices):
    PAUSE = "pause", _("Pause for a while")
    DEFER = "defer", _("Continue in the next run")
    SELF_PACED = "self-paced", _("Finish at my own pace")


class HelpState(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class HelpRequest(models.Model):
    """A participant's "I can't keep up": what they ask for, and the staff's answer."""

    run = models.ForeignKey("courses.Run", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("what would help"), max_length=16, choices=HelpKind.choices)
    message = models.TextField(_("anything you want us to know"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=HelpState.choices, default=HelpState.OPEN
    )
    created_at = models.DateTimeField(_("asked at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decision_note = models.TextField(_("note to the participant"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "participant"],
                condition=models.Q(state="open"),
                name="learning_help_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.kind} ({self.state})"
