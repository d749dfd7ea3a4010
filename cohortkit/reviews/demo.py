"""The demo's peer review: the in-progress run has its step configured and some work in.

K = 3, a four-line rubric and two written prompts, never a reviewer from the author's home
community, reviewers spread across regions. The final work is due two weeks after the run's
last week starts; twenty participants have submitted, a few others have drafts.
"""

from datetime import timedelta

from cohortkit.courses.demo import Demo, _at
from cohortkit.reviews.models import (
    Criterion,
    FeedbackPrompt,
    FinalWork,
    NotSame,
    ReviewStep,
    Spread,
    WorkState,
)

CRITERIA = [
    ("Partner fit", "How well the chosen partner's aims align with the community's.", 3, 5),
    ("Value proposal", "Is it clear what each side gains, and why now?", 2, 5),
    ("Plan", "Concrete first steps, owners and dates; a way to evaluate.", 2, 5),
    ("Delivery", "Clear, well structured, within the time given.", 1, 4),
]
PROMPTS = [
    ("What is the strongest part of this partnership plan?", True),
    ("What one change would make the plan more likely to succeed?", True),
]
SUBMITTED = 20
DRAFTS = 4


def extend_demo(demo: Demo) -> None:
    run = demo.current_run
    last_week = run.week_starts_on(run.weeks - 1)
    step, created = ReviewStep.objects.get_or_create(
        run=run,
        defaults={
            "reviews_per_work": 3,
            "submissions_close_at": _at(last_week + timedelta(days=4), 23, 59),
            "reviews_due_at": _at(last_week + timedelta(days=11), 23, 59),
            "is_anonymous": True,
            "not_same": [NotSame.HOME_COMMUNITY.value],
            "spread": Spread.REGION,
            "include_non_submitters": False,
            "instructions": (
                "Present a partnership you would like to build for your community: the "
                "partner, what each side gains, and your first three steps. Slides, a short "
                "video or a written piece all work; about ten minutes."
            ),
        },
    )
    if created:
        for position, (title, description, weight, scale) in enumerate(CRITERIA):
            Criterion.objects.create(
                step=step,
                position=position,
                title=title,
                description=description,
                weight=weight,
                scale_max=scale,
            )
        for position, (text, required) in enumerate(PROMPTS):
            FeedbackPrompt.objects.create(
                step=step, position=position, text=text, is_required=required
            )
    for index, person in enumerate(demo.participants[: SUBMITTED + DRAFTS]):
        submitted = index < SUBMITTED
        FinalWork.objects.get_or_create(
            run=run,
            author=person,
            defaults={
                "title": f"Partnering with the {person.home_community} library network",
                "text": (
                    "Our community wants to digitise local history collections. The city "
                    "library network has the archives and wants wider readership; we bring "
                    "volunteers and editing skills.\n\nFirst steps: meet the head librarian, "
                    "agree a pilot of fifty items, and review together after three months."
                ),
                "link": "https://example.org/slides/partnership-pitch",
                "state": WorkState.SUBMITTED if submitted else WorkState.DRAFT,
                "submitted_at": demo.now - timedelta(days=1, hours=index) if submitted else None,
            },
        )
    demo.created["review steps"] = ReviewStep.objects.count()
    demo.created["final works"] = FinalWork.objects.filter(run=run).count()
