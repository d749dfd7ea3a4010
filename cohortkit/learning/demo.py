"""Demo: assignments, progress, a question with a reply, one person falling behind, and the
2021 alumni who completed the course with certificates."""

from datetime import datetime, time, timedelta

from cohortkit.courses.demo import Demo
from cohortkit.courses.models import Run, Topic
from cohortkit.learning.models import (
    Assignment,
    AssignmentKind,
    Reply,
    Submission,
    SubmissionStatus,
    Thread,
    TopicCompletion,
)
from cohortkit.learning.services.certificates import issue_certificates

# (kind, title, module position, due on day N of the run, instructions)
WORK = [
    (AssignmentKind.SELF_ASSESSMENT, "Self-assessment", 1, 6,
     "Describe your group, what it does well, and what it lacks. Half a page is enough."),
    (AssignmentKind.PARTNER_MAP, "Partner map", 3, 16,
     "List five organisations near you that share part of your aims, and what each could gain."),
    (AssignmentKind.VALUE_PROPOSAL, "Value proposal", 3, 18,
     "In one paragraph, say what your group offers the partner you chose and what you ask."),
    (AssignmentKind.THEORY_OF_CHANGE, "Theory of change", 3, 20,
     "Draw or write the chain from your activities to the change you want. A photo is fine."),
    (AssignmentKind.PITCH, "Partnership pitch", 4, 27,
     "Write the two-minute pitch you would give at a first meeting. Link to a recording if you like."),
]  # fmt: skip


def _assignments(run: Run) -> list[Assignment]:
    made = []
    modules = {m.position: m for m in run.modules.all()}
    for kind, title, position, day, instructions in WORK:
        due = datetime.combine(run.starts_on + timedelta(days=day), time(23, 59), tzinfo=run.zone)
        assignment, _ = Assignment.objects.get_or_create(
            run=run,
            title=title,
            defaults={
                "kind": kind,
                "module": modules.get(position),
                "instructions": f"## {title}\n\n{instructions}\n",
                "due_at": due,
                "accepts_late": kind != AssignmentKind.SELF_ASSESSMENT,
            },
        )
        made.append(assignment)
    return made


def extend_demo(demo: Demo) -> None:
    now = demo.now
    current = demo.current_run
    work = _assignments(current)
    released = [
        t
        for t in Topic.objects.filter(module__run=current).select_related("module__run")
        if datetime.combine(
            current.week_starts_on(t.module.release_week), time.min, tzinfo=current.zone
        )
        <= now
    ]
    behind = demo.participants[4]  # falls behind: nothing done, nothing handed in
    completions, submissions = [], []
    for index, person in enumerate(demo.participants):
        if person == behind:
            continue
        share = len(released) - (index % 3)  # most people are nearly up to date
        for topic in released[:share]:
            completions.append(
                TopicCompletion(
                    user=person, topic=topic, done_at=now - timedelta(days=index % 4, hours=1)
                )
            )
        for assignment in work:
            if assignment.due_at < now:
                submissions.append(
                    Submission(
                        assignment=assignment, participant=person,
                        text="My notes for this exercise are below.\n\n- first point\n- second point",
                        status=SubmissionStatus.ACCEPTED if index % 2 else SubmissionStatus.SUBMITTED,
                        submitted_at=assignment.due_at - timedelta(hours=5),
                    )
                )  # fmt: skip
    TopicCompletion.objects.bulk_create(completions, ignore_conflicts=True)
    Submission.objects.bulk_create(submissions, ignore_conflicts=True)

    asker = demo.participants[0]
    if not Thread.objects.filter(
        run=current, title="How formal should a first meeting be?"
    ).exists():
        module = current.modules.filter(position=4).first() or current.modules.first()
        thread = Thread.objects.create(
            run=current, module=None, author=asker, title="How formal should a first meeting be?",
            body=f"In *{module.title if module else 'the course'}* we prepare a pitch. Should the "
            "first meeting with a museum be formal, or is a coffee fine?",
            created_at=now - timedelta(days=2), last_activity_at=now - timedelta(days=1),
        )  # fmt: skip
        Reply.objects.create(
            thread=thread, author=demo.facilitators[0], created_at=now - timedelta(days=1),
            body="A coffee is fine for a first conversation. Bring your **value proposal** in one "
            "sentence, and listen more than you talk.",
        )  # fmt: skip
        thread.is_answered = True
        thread.save(update_fields=["is_answered"])

    completed = demo.completed_run
    old_work = _assignments(completed)
    topics = list(Topic.objects.filter(module__run=completed))
    done_at = completed.ends_at - timedelta(days=3)
    TopicCompletion.objects.bulk_create(
        [TopicCompletion(user=a, topic=t, done_at=done_at) for a in demo.alumni for t in topics],
        ignore_conflicts=True,
    )
    Submission.objects.bulk_create(
        [
            Submission(
                assignment=w,
                participant=a,
                text="Handed in during the 2021 run.",
                status=SubmissionStatus.ACCEPTED,
                submitted_at=w.due_at - timedelta(days=1),
            )
            for a in demo.alumni
            for w in old_work
        ],
        ignore_conflicts=True,
    )
    issued = issue_certificates(completed, at=completed.ends_at + timedelta(days=7), notify=False)
    demo.created["certificates"] = len(issued)
