import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand


def new_code() -> str:
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))


class LearningPolicy(models.Model):
    """Per-run rules: what completion needs, and when a participant counts as at risk.

    Rules that depend on apps not every site has yet (attendance from scheduling, the final
    presentation's review from reviews) are off by default; switch them on per run when
    those apps deliver.
    """

    run = models.OneToOneField(
        "courses.Run", on_delete=models.CASCADE, related_name="learning_policy"
    )
    requires_all_topics = models.BooleanField(_("all topics marked done"), default=True)
    requires_assignments = models.BooleanField(_("required assignments accepted"), default=True)
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("sessions attended (per cent)"),
        null=True,
        blank=True,
        help_text=_("Empty: attendance is not a rule. Needs the scheduling app's attendance."),
    )
    requires_final_review = models.BooleanField(
        _("final presentation reviewed"),
        default=False,
        help_text=_("Needs the reviews app."),
    )
    requires_exercises = models.BooleanField(
        _("every exercise passed"),
        default=True,
        help_text=_("Each exercise's counted score reaches its pass mark (70% by default)."),
    )
    inactive_days = models.PositiveSmallIntegerField(
        _("at risk after days without progress"), default=10
    )
    missed_sessions = models.PositiveSmallIntegerField(
        _("at risk after missed sessions"), default=2
    )

    def __str__(self) -> str:
        return f"policy of {self.run_id}"


class Certificate(models.Model):
    """Issued to a participant who completed a run; verifiable by code, revocable."""

    run = models.ForeignKey("courses.Run", on_delete=models.PROTECT, related_name="certificates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    code = models.CharField(_("verification code"), max_length=32, unique=True, default=new_code)
    name = models.CharField(_("name on the certificate"), max_length=200)
    language = models.CharField(_("language"), max_length=16, default="en")
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)

    class Meta:
        ordering = ["run", "name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "user"], name="learning_certificate_unique"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
