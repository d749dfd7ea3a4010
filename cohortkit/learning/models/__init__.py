"""The learning app's models, one module per concept."""

from cohortkit.learning.models.assignments import (
    Assignment,
    AssignmentKind,
    Extension,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
)
from cohortkit.learning.models.certificates import Certificate, LearningPolicy
from cohortkit.learning.models.content import Attachment
from cohortkit.learning.models.progress import TopicCompletion
from cohortkit.learning.models.support import (
    HelpKind,
    HelpRequest,
    HelpState,
    ParticipantState,
    ParticipantStatus,
    SupportAction,
    SupportActionKind,
)
from cohortkit.learning.models.talk import QuestionMail, Reply, TalkPreference, Thread

__all__ = [
    "Assignment",
    "AssignmentKind",
    "Attachment",
    "Certificate",
    "Extension",
    "HelpKind",
    "HelpRequest",
    "HelpState",
    "LearningPolicy",
    "ParticipantState",
    "ParticipantStatus",
    "QuestionMail",
    "Reply",
    "Submission",
    "SubmissionStatus",
    "SubmissionVersion",
    "SupportAction",
    "SupportActionKind",
    "TalkPreference",
    "Thread",
    "TopicCompletion",
]
