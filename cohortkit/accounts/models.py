from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from cohortkit.accounts.timezones import validate_timezone


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    ASIA_PACIFIC = "asia-pacific", _("Asia and the Pacific")
    EUROPE = "europe", _("Europe")
    LATIN_AMERICA = "latin-america", _("Latin America and the Caribbean")
    MIDDLE_EAST = "middle-east", _("Middle East and North Africa")
    NORTH_AMERICA = "north-america", _("North America")


class PersonManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        # People sign in with their e-mail address; match it case-insensitively.
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person: signs in with an e-mail address, lives in a time zone, speaks languages."""

    email = models.EmailField(_("e-mail address"), unique=True)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    display_name = models.CharField(_("display name"), max_length=150)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_("Language codes.")
    )
    interface_language = models.CharField(_("interface language"), max_length=16, blank=True)
    content_language = models.CharField(_("course content language"), max_length=16, blank=True)
    wiki_username = models.CharField(_("wiki username"), max_length=255, blank=True)
    home_community = models.CharField(_("home community"), max_length=255, blank=True)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["username", "display_name"]

    objects: ClassVar[PersonManager] = PersonManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def mail_language(self) -> str:
        """The language the person's mail is written in: their interface language, else
        English (the site's own)."""
        return self.mail_language_or("en")

    def mail_language_or(self, fallback: str) -> str:
        """Their interface language, else `fallback` where something knows better than
        English: the page that asked (sign-up), the course's language (an invitation)."""
        return self.interface_language or fallback

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None


class PrivacyRequestKind(models.TextChoices):
    DOWNLOAD = "download", _("Data downloaded")
    DELETION = "deletion", _("Account deleted")


class PrivacyRequest(models.Model):
    """That someone downloaded their data or deleted their account, and when: a count for
    coordinators, deliberately not who (a deleted account must leave no trace here)."""

    kind = models.CharField(_("kind"), max_length=16, choices=PrivacyRequestKind.choices)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("privacy request")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"
