"""Why the planner left someone out, in the reader's language.

The planner names reasons by code (``no_window``, ``not_every_week``, ``not_chosen``) with
their parameters as data, and explains in English for the command line; the plan page says
the same through gettext, at display time, as `reviews/diagnosis.py` does for allocations.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohortkit.scheduling.plan_results import StoredReason


def _weeks(weeks: tuple[int, ...]) -> str:
    return ", ".join(str(week + 1) for week in weeks)


def describe_left_out(reason: StoredReason) -> str:
    """One sentence (two for weeks that fail) saying why, for the plan page."""
    if reason.code == "no_window":
        return _("No stretch of their availability is long enough for a session.")
    if reason.code == "not_every_week":
        if reason.shift_weeks:
            cause = ngettext(
                "Their clocks change in week %(weeks)s.",
                "Their clocks change in weeks %(weeks)s.",
                len(reason.shift_weeks),
            ) % {"weeks": _weeks(reason.shift_weeks)}
        else:
            cause = ngettext(
                "The session time does not exist in week %(weeks)s.",
                "The session time does not exist in weeks %(weeks)s.",
                len(reason.weeks),
            ) % {"weeks": _weeks(reason.weeks)}
        return _("Their available times fit in some weeks only:") + " " + cause
    return _("They could attend other times every week, but none of the chosen ones.")
