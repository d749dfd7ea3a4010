"""The courses app's part in copying a run (see courses/services.py): modules and topics."""

from cohortkit.courses.services import copy_outline as copy_run

__all__ = ["copy_run"]
