"""Demo applications: the open run's form, rubric and rules (one on wiki edits, from the
figures the wiki demo stored), 120 applications, reviews."""

import random
from datetime import timedelta
from decimal import Decimal

from cohortkit.applications.models import (
    Application,
    ApplicationForm,
    ApplicationReview,
    ApplicationState,
    Criterion,
    EligibilityRule,
    Experience,
    Question,
    QuestionKind,
    Quota,
    RuleKind,
)
from cohortkit.applications.services import (
    assign_application_reviewers,
    check_eligibility,
    weighted_score,
)
from cohortkit.courses.demo import Demo
from cohortkit.wiki.queries import experiences as wiki_experiences

MOTIVATIONS = [
    "Our chapter wants to work with the city library on a local history project.",
    "I edit articles about rivers and would like a partnership with a university lab.",
    "We ran two edit-a-thons and want a lasting relationship with a museum.",
    "I want to learn how to pitch open knowledge to a ministry of culture.",
    "Our user group has no partners yet; I hope to bring back a plan.",
    "I coordinate photo contests and need sponsors who share our values.",
]
ENGLISH = ["Fluent", "Comfortable", "Still learning"]


def extend_demo(demo: Demo) -> None:
    run = demo.open_run
    form, _created = ApplicationForm.objects.get_or_create(
        run=run,
        defaults={
            "introduction": (
                "Tell us about you and the partnership you would like to build. "
                "Your draft is saved as you type."
            ),
            "lottery_seed": 2027,
        },
    )
    if form.questions.exists():
        return
    motivation = Question.objects.create(
        form=form,
        position=1,
        label="Why do you want to join, and which partnership would you like to build?",
        kind=QuestionKind.LONG,
        is_required=True,
        help_text="A few sentences are enough.",
    )
    english = Question.objects.create(
        form=form,
        position=2,
        label="How comfortable are you writing and speaking in English?",
        kind=QuestionKind.CHOICE,
        options="\n".join(ENGLISH),
        is_required=True,
    )
    partnered = Question.objects.create(
        form=form,
        position=3,
        label="Have you built a partnership with an outside organisation before?",
        kind=QuestionKind.YES_NO,
        is_required=True,
    )
    Question.objects.create(
        form=form,
        position=4,
        label="A link to your work (optional)",
        kind=QuestionKind.URL,
    )
    criteria = [
        Criterion.objects.create(run=run, position=1, name="Motivation", weight=Decimal("0.5")),
        Criterion.objects.create(
            run=run, position=2, name="Fit with the audience", weight=Decimal("0.3")
        ),
        Criterion.objects.create(
            run=run, position=3, name="Plan to share back", weight=Decimal("0.2")
        ),
    ]
    rule = EligibilityRule.objects.create(
        run=run,
        column=english.key,
        allowed=["Fluent", "Comfortable"],
        reason="The course is delivered in English.",
    )
    # From the figures the wiki demo stored (no wiki is asked): applicants without a verified
    # wiki account, or with fewer edits, do not meet it.
    wiki_rule = EligibilityRule.objects.create(
        run=run,
        kind=RuleKind.WIKI_EDITS,
        minimum=100,
        reason="At least 100 edits: the course builds on experience of contributing to wikis.",
    )
    found = wiki_experiences(run, [person.pk for person in demo.applicants])
    for region in ("africa", "asia-pacific", "latin-america", "middle-east"):
        Quota.objects.create(run=run, kind="at_least", column="region", value=region, count=4)
    Quota.objects.create(run=run, kind="at_most", column="experience", value="advanced", count=12)

    rng = random.Random(demo.seed)  # noqa: S311 - reproducible fictional data
    experiences = [
        Experience.NEW,
        Experience.INTERMEDIATE,
        Experience.INTERMEDIATE,
        Experience.ADVANCED,
    ]
    applications = []
    for index, person in enumerate(demo.applicants):
        submitted = index >= 10  # the first ten keep drafts, applicant001 among them
        at = demo.now - timedelta(days=rng.randint(0, 9), hours=rng.randint(0, 23))
        application = Application(
            run=run,
            applicant=person,
            state=ApplicationState.SUBMITTED if submitted else ApplicationState.DRAFT,
            contact_email=person.email,
            timezone=person.timezone,
            languages=person.languages,
            wiki_username=person.wiki_username,
            home_community=person.home_community,
            region=person.region,
            experience=rng.choice(experiences),
            answers={
                motivation.key: rng.choice(MOTIVATIONS),
                english.key: rng.choices(ENGLISH, weights=[4, 5, 1])[0],
                partnered.key: rng.choice(["yes", "no", "no"]),
            },
            consent_at=at if submitted else None,
            submitted_at=at if submitted else None,
            draft_saved_at=at,
            purge_on=form.purge_on() if submitted else None,
        )
        if submitted:
            check_eligibility(application, [rule, wiki_rule], found.get(person.pk))
        applications.append(application)
    Application.objects.bulk_create(applications)
    assign_application_reviewers(run)
    # Every eligible application has one review in and one still to do: the selection has
    # a score for everyone (nobody is scored 0) and recording early shows the override.
    first_reviews: dict[int, ApplicationReview] = {}
    for review in ApplicationReview.objects.filter(application__run=run).order_by("pk"):
        first_reviews.setdefault(review.application_id, review)
    for review in first_reviews.values():
        scores = {c.pk: rng.randint(2, 5) for c in criteria}
        review.scores = {str(key): value for key, value in scores.items()}
        review.score = weighted_score(scores, criteria)
        review.comment = rng.choice(["Clear plan.", "Strong motivation.", "A bit vague.", ""])
        review.submitted_at = demo.now - timedelta(hours=rng.randint(1, 48))
        review.save()
    demo.created["applications"] = len(applications)
