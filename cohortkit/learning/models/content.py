import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cohortkit.learning.uploads import KINDS


def stored_name(instance: "Attachment | object", filename: str) -> str:
    """A generated name: the person's file name never reaches the file system."""
    content_type = getattr(instance, "content_type", "") or getattr(instance, "file_type", "")
    suffix = KINDS.get(content_type, ("", frozenset()))[0] or PurePath(filename).suffix[:8]
    return f"learning/{uuid.uuid4().hex}{suffix.lower()}"


class Attachment(models.Model):
    """An image or document uploaded for a run's content, served only to its members."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey("courses.Run", on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=stored_name)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse(
            "learning:attachment",
            kwargs={
                "slug": self.run.course.slug,
                "run": self.run.slug,
                "public_id": self.public_id,
            },
        )

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def markdown(self) -> str:
        """The snippet to paste into a topic."""
        name = self.original_name.replace("[", "").replace("]", "")
        bang = "!" if self.is_image else ""
        return f"{bang}[{name}]({self.get_absolute_url()})"
