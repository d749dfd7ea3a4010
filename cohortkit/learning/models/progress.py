from django.conf import settings
from django.db import models


class TopicCompletion(models.Model):
    """A participant marked a topic done."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_completions"
    )
    topic = models.ForeignKey("courses.Topic", on_delete=models.CASCADE, related_name="completions")
    done_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="learning_completion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ✓ {self.topic}"
