"""Signals other apps listen to (the wiki app imports none of them)."""

from django.dispatch import Signal

# Sent after commit when new figures about a person were stored; kwargs: person_id.
# Applications listen to check eligibility again.
figures_read = Signal()

# Sent after commit when a person unlinked their wiki account and the figures read for it
# were deleted; kwargs: person_id. Applications listen to check eligibility again.
identity_unlinked = Signal()
