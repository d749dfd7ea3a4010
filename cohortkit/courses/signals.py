"""Invitations take effect when their person signs in with the verified address.

The accounts app signs a person in right after they confirm their address (and on every
later sign-in); listening to Django's `user_logged_in` lets an invitation to an unknown
address grant its role then, without the accounts app knowing about runs.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone
from django.utils.translation import gettext as _

from cohortkit.courses.services import accept_invitations_for


def grant_invitations(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    granted = accept_invitations_for(user, at=timezone.now())
    if request is not None and hasattr(request, "_messages"):
        for role in granted:
            messages.success(
                request,
                _("Your invitation is accepted: you are %(role)s in %(run)s.")
                % {"role": role.get_role_display(), "run": role.run},
            )


def connect() -> None:
    user_logged_in.connect(grant_invitations, dispatch_uid="courses-grant-invitations")
