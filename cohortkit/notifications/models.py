from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MailState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # The recipient turned this kind of mail off (List-Unsubscribe) before it went out.
    TURNED_OFF = "turned-off", _("Not sent: turned off by the recipient")


class OutboxQuerySet(models.QuerySet["OutboxMessage"]):
    def due(self, at: object) -> "OutboxQuerySet":
        return self.filter(state=MailState.QUEUED, send_at__lte=at)

    def failed(self) -> "OutboxQuerySet":
        return self.filter(state=MailState.FAILED)


class OutboxMessage(models.Model):
    """One e-mail to one person, rendered in their language, sent at `send_at` by a task.

    Drafts can still be edited; queued mail is picked up when due; a temporary SMTP
    failure puts it back with a later `send_at`; a permanent one leaves it failed and
    visible with the error, ready to be retried by a coordinator.
    """

    recipient = models.EmailField(_("recipient"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mail",
    )
    language = models.CharField(_("language"), max_length=16, default="en")
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    kind = models.CharField(_("kind"), max_length=64, help_text=_("What the message is about."))
    key = models.CharField(
        _("idempotency key"),
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Set when one event must produce at most one message."),
    )
    run = models.ForeignKey(
        "courses.Run", on_delete=models.CASCADE, null=True, blank=True, related_name="mail"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=MailState.choices, default=MailState.QUEUED
    )
    send_at = models.DateTimeField(_("send at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["send_at", "pk"]
        indexes = [models.Index(fields=["state", "send_at"], name="outbox_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=MailState.SENT) | Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient} ({self.state})"


class MailOptOut(models.Model):
    """A person turned off one kind of mail (`kind` of `OPTIONAL_KINDS`, through the
    List-Unsubscribe link or its one-click POST); the outbox no longer sends it to them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_opt_outs"
    )
    kind = models.CharField(_("kind"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="mail_opt_out_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"
