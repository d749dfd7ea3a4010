"""What the wiki app holds about a person: their verified wiki account, the figures and
edits read from the wikis, and their choices about sharing edits. Erasing deletes all of it
(nothing here is anyone else's)."""

from datetime import datetime
from typing import Any

from cohortkit.accounts.models import User
from cohortkit.wiki.models import EditSharing, WikiEdit, WikiFigures, WikiIdentity, WikiRead

COVERS = frozenset(
    {"wiki.WikiIdentity", "wiki.WikiFigures", "wiki.WikiEdit", "wiki.EditSharing", "wiki.WikiRead"}
)


def export(person: User) -> dict[str, list[dict[str, Any]]]:
    return {
        "identity": [
            {
                "username": row.username,
                "wiki_user_id": row.central_id,
                "verified_at": row.verified_at,
            }
            for row in WikiIdentity.objects.filter(person=person)
        ],
        "figures": [
            {
                "wiki": row.wiki.name,
                "username": row.username,
                "edit_count": row.edit_count,
                "registered_at": row.registered_at,
                "groups": row.groups,
                "read_at": row.read_at,
            }
            for row in WikiFigures.objects.filter(person=person).select_related("wiki")
        ],
        "edits": [
            {
                "wiki": row.wiki.name,
                "revision": row.revision_id,
                "page": row.title,
                "at": row.at,
                "size_change": row.size_change,
            }
            for row in WikiEdit.objects.filter(person=person).select_related("wiki")
        ],
        "reads": [
            {
                "attempted_at": row.attempted_at,
                "problems": row.problems,
                "succeeded_at": row.succeeded_at,
            }
            for row in WikiRead.objects.filter(person=person)
        ],
        "sharing": [
            {"run": f"{row.run.course.slug}/{row.run.slug}", "is_shared": row.is_shared}
            for row in EditSharing.objects.filter(person=person).select_related("run__course")
        ],
    }


def erase(person: User, *, at: datetime, keep_certificates: bool) -> None:
    for model in (WikiIdentity, WikiFigures, WikiEdit, EditSharing, WikiRead):
        model.objects.filter(person=person).delete()
