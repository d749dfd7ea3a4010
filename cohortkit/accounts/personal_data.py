"""What accounts holds about a person: the profile, and the admin's record of their actions.

Erasing keeps the user row as an anonymous tombstone (no address, name or profile; no
password; inactive), because what others depend on (reviews written, Q&A posts, attendance,
seats taken) stays attached to it and shows as "Deleted person".
"""

from datetime import datetime
from typing import Any

from django.contrib.admin.models import LogEntry

from cohortkit.accounts.models import User

COVERS = frozenset({"accounts.User", "admin.LogEntry"})

DELETED_NAME = "Deleted person"


def export(person: User) -> dict[str, list[dict[str, Any]]]:
    return {
        "profile": [
            {
                "email": person.email,
                "email_verified_at": person.email_verified_at,
                "display_name": person.display_name,
                "timezone": person.timezone,
                "languages": person.languages,
                "interface_language": person.interface_language,
                "content_language": person.content_language,
                "wiki_username": person.wiki_username,
                "home_community": person.home_community,
                "region": person.region,
                "date_joined": person.date_joined,
                "last_login": person.last_login,
            }
        ],
        "admin_actions": [
            {"at": entry.action_time, "object": entry.object_repr, "change": entry.change_message}
            for entry in LogEntry.objects.filter(user=person).order_by("action_time", "pk")
        ],
    }


def erase(person: User, *, at: datetime, keep_certificates: bool) -> None:
    # Admin log entries stay (an audit of staff actions), now naming the tombstone.
    person.email = f"deleted-{person.pk}@deleted.invalid"
    person.username = person.email
    person.display_name = DELETED_NAME
    person.first_name = person.last_name = ""
    person.email_verified_at = None
    person.timezone = "UTC"
    person.languages = []
    person.interface_language = person.content_language = ""
    person.wiki_username = person.home_community = person.region = ""
    person.is_active = person.is_staff = person.is_superuser = False
    person.set_unusable_password()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()
