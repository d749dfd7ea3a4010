"""Wiki identities, the wikis a run follows, and what was read from them.

Figures are stored with the instant they were read (`read_at`) and only ever written by the
background task (services.read_wiki_figures); pages show what is stored."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cohortkit.courses.models import Run


class Wiki(models.Model):
    """A MediaWiki site whose Action API the site may read; added by site staff (admin), so
    the server only ever sends requests to addresses staff chose."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    api_url = models.URLField(
        _("Action API address"),
        max_length=300,
        unique=True,
        help_text=_("The wiki's api.php, for example https://en.wikipedia.org/w/api.php"),
    )

    class Meta:
        verbose_name = _("wiki")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def index_url(self) -> str:
        """The wiki's index.php beside api.php, for links to pages and edits."""
        base = self.api_url.rsplit("/", 1)[0]
        return f"{base}/index.php"


class RunWikis(models.Model):
    """The wikis a run reads experience and course edits from, and the optional page prefix
    the course's edits are limited to (as the Programs & Events Dashboard does)."""

    run = models.OneToOneField(Run, on_delete=models.CASCADE, related_name="wiki_settings")
    wikis = models.ManyToManyField(Wiki, blank=True, verbose_name=_("wikis"), related_name="+")
    page_prefix = models.CharField(
        _("page prefix"),
        max_length=255,
        blank=True,
        help_text=_(
            "Count only edits to pages whose title starts with this, for example "
            "Wikipedia:Partnership Building/. Empty counts every edit."
        ),
    )

    class Meta:
        verbose_name = _("wikis of a run")
        verbose_name_plural = _("wikis of runs")

    def __str__(self) -> str:
        return str(self.run)


class WikiIdentity(models.Model):
    """A person's wiki account, verified through the wiki's OAuth 2.0 sign-in: its central
    user id (`sub` in the profile) and name. One person, one account; one account, one person."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wiki_identity"
    )
    central_id = models.CharField(_("wiki user id"), max_length=64, unique=True)
    username = models.CharField(_("wiki username"), max_length=255)
    verified_at = models.DateTimeField(_("verified at"))

    class Meta:
        verbose_name = _("wiki identity")
        verbose_name_plural = _("wiki identities")

    def __str__(self) -> str:
        return self.username


class WikiFigures(models.Model):
    """What one wiki said about a person's account, and when it said it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wiki_figures"
    )
    wiki = models.ForeignKey(Wiki, on_delete=models.CASCADE, related_name="+")
    username = models.CharField(_("wiki username"), max_length=255)
    edit_count = models.PositiveIntegerField(_("edits"))
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    groups = models.JSONField(_("groups"), default=list, blank=True)
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("wiki figures")
        verbose_name_plural = _("wiki figures")
        ordering = ["person", "wiki__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "wiki"], name="wiki_figures_once_per_wiki")
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.wiki}"


class WikiEdit(models.Model):
    """One edit by a person on a wiki, as the wiki listed it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wiki_edits"
    )
    wiki = models.ForeignKey(Wiki, on_delete=models.CASCADE, related_name="+")
    revision_id = models.PositiveBigIntegerField(_("revision"))
    title = models.CharField(_("page"), max_length=512)
    at = models.DateTimeField(_("edited at"))
    size_change = models.IntegerField(_("size change"), default=0)
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("wiki edit")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["wiki", "revision_id"], name="wiki_edit_once")
        ]
        indexes = [models.Index(fields=["person", "wiki", "at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.revision_id})"


class WikiRead(models.Model):
    """The last background read of the wikis for a person's figures or for a run's course
    edits: when it was tried, the problems it met (one clear message each, empty when it
    went well), and when a read last went well. Coordinators see it beside the figures."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    run = models.OneToOneField(
        Run, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    attempted_at = models.DateTimeField(_("last read"))
    problems = models.JSONField(_("problems"), default=list, blank=True)
    succeeded_at = models.DateTimeField(_("last read without problems"), null=True, blank=True)

    class Meta:
        verbose_name = _("read of the wikis")
        verbose_name_plural = _("reads of the wikis")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=True) ^ models.Q(run__isnull=True),
                name="wiki_read_of_a_person_or_a_run",
            )
        ]

    def __str__(self) -> str:
        return str(self.person or self.run)

    @property
    def has_problems(self) -> bool:
        return bool(self.problems)


class EditSharing(models.Model):
    """A participant's choice about their course edits being shown to facilitators (shown
    unless they turned it off)."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_shared = models.BooleanField(_("show my wiki edits to the facilitators"), default=True)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("sharing of wiki edits")
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="wiki_sharing_once_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.run}"
