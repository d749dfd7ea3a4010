"""What courses holds about a person: their roles, and invitations sent to their address.

Erasing keeps the roles (who took part counts stay right; the tombstone cannot sign in) and
deletes the invitations addressed to them (they carry the address)."""

from datetime import datetime
from typing import Any

from django.db.models import Q

from cohortkit.accounts.models import User
from cohortkit.courses.models import Invitation, RunRole

COVERS = frozenset({"courses.RunRole", "courses.Invitation"})


def _run(run: Any) -> str:
    return f"{run.course.slug}/{run.slug}"


def export(person: User) -> dict[str, list[dict[str, Any]]]:
    roles = RunRole.objects.filter(user=person).select_related("run__course").order_by("pk")
    invitations = (
        Invitation.objects.filter(Q(email__iexact=person.email) | Q(accepted_by=person))
        .select_related("run__course")
        .order_by("pk")
    )
    return {
        "roles": [
            {"run": _run(role.run), "role": role.role, "since": role.created_at} for role in roles
        ],
        "invitations": [
            {
                "run": _run(item.run),
                "email": item.email,
                "role": item.role,
                "sent_at": item.created_at,
                "accepted_at": item.accepted_at,
            }
            for item in invitations
        ],
    }


def erase(person: User, *, at: datetime, keep_certificates: bool) -> None:
    Invitation.objects.filter(Q(email__iexact=person.email) | Q(accepted_by=person)).delete()
    # Invitations they sent stay (`invited_by` names the tombstone).
