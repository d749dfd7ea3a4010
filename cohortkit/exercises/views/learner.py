"""The learner's pages: the run's exercises with their scores, and one exercise to answer
with instant feedback (an htmx swap of the question, or a plain form post and redirect)."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cohortkit.accounts.models import User
from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Role, Run
from cohortkit.courses.permissions import (
    STAFF_ROLES,
    has_role,
    require_member,
    require_role,
    run_for,
)
from cohortkit.exercises.forms import AnswerForm
from cohortkit.exercises.models import Answer, Attempt, Choice, Exercise, Kind, Question
from cohortkit.exercises.queries import exercises_of, results
from cohortkit.exercises.questions import (
    display_order,
    matching_targets,
    score_response,
    with_translated_answers,
)
from cohortkit.exercises.services import AnswerRefused, answer_question, start_attempt
from cohortkit.exercises.translation_units import choice_key, exercise_key, question_key
from cohortkit.translations.queries import TextLookup, content_lookup

# Answers per person per minute: plenty for reading and answering, too few to guess a
# matching question or a numeric tolerance by brute force.
ANSWER_LIMIT = 20
ANSWER_WINDOW = 60


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def is_released(exercise: Exercise, *, run: Run) -> bool:
    """From midnight (run's zone) on the first day of its module's release week."""
    starts = datetime.combine(
        run.week_starts_on(exercise.module.release_week), time.min, tzinfo=run.zone
    )
    return timezone.now() >= starts


@dataclass
class Option:
    label: str
    chosen: bool = False
    feedback: str = ""


@dataclass
class Shown:
    """A question as the page shows it: a form before answering; after, the learner's own
    answer, its score and feedback, and the explanation. Never which choice is right."""

    question: Question
    text: str
    form: AnswerForm | None = None
    answer: Answer | None = None
    options: list[Option] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    explanation: str = ""

    @property
    def percent(self) -> int | None:
        return None if self.answer is None else round(100 * self.answer.score)


def _labels(lookup: TextLookup, run: Run, question: Question) -> list[str]:
    if question.kind == Kind.TRUE_FALSE:
        return [_("True") if c.truth else _("False") for c in question.choices.all()]
    return [
        lookup.text(choice_key(run, question, c, "text"), c.text) for c in question.choices.all()
    ]


def translated_answers(lookup: TextLookup, run: Run, question: Question) -> dict[int, str]:
    """A short-answer question's accepted answers in the reader's language, by position."""
    if question.kind != Kind.SHORT:
        return {}
    return {
        c.position: lookup.text(choice_key(run, question, c, "text"), c.text)
        for c in question.choices.all()
    }


def _targets(lookup: TextLookup, run: Run, question: Question) -> list[tuple[str, str]]:
    """The matching right-hand sides (source text, shown text), in a neutral order."""
    by_match = {c.match: c for c in question.choices.all()}
    return [
        (match, lookup.text(choice_key(run, question, by_match[match], "match"), match))
        for match in matching_targets(question.as_data())
    ]


def choice_order(question: Question, user: User) -> list[int]:
    """The order (choice positions) in which this person is offered a question's choices:
    shuffled per person and question with a seed from the secret key, the same on every
    visit; true/false stays true, false."""
    count = len(question.choices.all())
    if question.kind not in (Kind.SINGLE, Kind.MULTIPLE):
        return list(range(1, count + 1))
    seed = hashlib.sha256(
        f"{settings.SECRET_KEY}:exercises:{question.pk}:{user.pk}".encode()
    ).digest()
    return display_order(count, seed=seed)


def shown(
    lookup: TextLookup,
    run: Run,
    question: Question,
    answer: Answer | None,
    *,
    user: User,
    data: object = None,
) -> Shown:
    item = Shown(question, lookup.text(question_key(run, question, "text"), question.text))
    labels = _labels(lookup, run, question)
    if answer is None:
        item.form = AnswerForm(
            data,  # type: ignore[arg-type]
            question=question,
            labels=labels,
            order=choice_order(question, user),
            targets=_targets(lookup, run, question) if question.kind == Kind.MATCHING else None,
        )
        return item
    item.answer = answer
    choices: list[Choice] = list(question.choices.all())
    response = answer.response if isinstance(answer.response, dict) else {}
    picked = response.get("choices", [response.get("choice")])
    picked = {str(p) for p in picked} if isinstance(picked, list) else set()
    for choice, label in zip(choices, labels, strict=True):
        if question.kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE):
            chosen = str(choice.position) in picked
            feedback = (
                lookup.text(choice_key(run, question, choice, "feedback"), choice.feedback)
                if chosen
                else ""
            )
            item.options.append(Option(label, chosen, feedback))
    if question.kind in (Kind.SHORT, Kind.NUMERIC):
        item.options.append(Option(str(response.get("text", "")), True))
        data = with_translated_answers(
            question.as_data(), translated_answers(lookup, run, question)
        )
        scored = score_response(data, response)
        for choice in choices:
            if choice.feedback and choice.feedback in scored.feedback:
                item.feedback.append(
                    lookup.text(choice_key(run, question, choice, "feedback"), choice.feedback)
                )
    if question.kind == Kind.MATCHING:
        pairs = response.get("pairs", {})
        shown_targets = dict(_targets(lookup, run, question))
        for choice, label in zip(choices, labels, strict=True):
            given = pairs.get(str(choice.position), "") if isinstance(pairs, dict) else ""
            item.options.append(Option(f"{label} → {shown_targets.get(given, given)}", True))
    if question.explanation:
        item.explanation = lookup.text(
            question_key(run, question, "explanation"), question.explanation
        )
    return item


def _exercise(run: Run, pk: int) -> Exercise:
    questions = Question.objects.order_by("position").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position"))
    )
    return get_object_or_404(
        Exercise.objects.select_related("module", "run").prefetch_related(
            Prefetch("questions", queryset=questions)
        ),
        run=run,
        pk=pk,
    )


def _page_context(request: HttpRequest, run: Run, exercise: Exercise) -> dict[str, object]:
    lookup = content_lookup(request, run.course)
    is_participant = has_role(request, run, {Role.PARTICIPANT})
    attempts = list(
        Attempt.objects.filter(exercise=exercise, user=signed_in_person(request)).order_by("number")
    )
    attempt = attempts[-1] if attempts else None
    answers = {}
    if attempt is not None:
        answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    released = is_released(exercise, run=run)
    person = signed_in_person(request)
    questions = [
        shown(lookup, run, q, answers.get(q.pk), user=person) for q in exercise.questions.all()
    ]
    if not (is_participant and released):
        for item in questions:
            item.form = None
    finished = [a for a in attempts if a.finished_at is not None]
    result = (
        results(run, [signed_in_person(request).pk])
        .get(signed_in_person(request).pk, {})
        .get(exercise.pk)
    )
    left = exercise.attempts_left(len(attempts))
    return {
        "run": run,
        "course": run.course,
        "exercise": exercise,
        "title": lookup.text(exercise_key(run, exercise), exercise.title),
        "questions": questions,
        "attempt": attempt,
        "finished": finished,
        "result": result,
        "is_participant": is_participant,
        "is_staff": has_role(request, run, STAFF_ROLES),
        "released": released,
        "can_retry": is_participant
        and released
        and attempt is not None
        and attempt.finished_at is not None
        and (left is None or left > 0),
        "attempts_left": left,
    }


@require_safe
def exercise_list(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The run's exercises by module, with the person's counted score."""
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    lookup = content_lookup(request, the_run.course)
    mine = results(the_run, [signed_in_person(request).pk]).get(signed_in_person(request).pk, {})
    rows = []
    for exercise in exercises_of(the_run):
        exercise.module.run = the_run  # read for its translation key, without a query
        rows.append(
            (
                exercise,
                lookup.text(exercise_key(the_run, exercise), exercise.title),
                lookup.module(exercise.module),
                mine.get(exercise.pk),
            )
        )
    return render(
        request,
        "exercises/exercise_list.html",
        {
            "run": the_run,
            "course": the_run.course,
            "rows": rows,
            "is_staff": has_role(request, the_run, STAFF_ROLES),
        },
    )


@require_safe
def exercise_detail(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    exercise = _exercise(the_run, pk)
    return render(
        request, "exercises/exercise_detail.html", _page_context(request, the_run, exercise)
    )


def _throttled(request: HttpRequest) -> bool:
    """Count this answer against the person's limit; True when over it."""
    key = f"exercises-answers-{request.user.pk}"
    cache.add(key, 0, ANSWER_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, ANSWER_WINDOW)
        count = 1
    return count > ANSWER_LIMIT


@require_POST
def answer(request: HttpRequest, slug: str, run: str, pk: int, question: int) -> HttpResponse:
    """Score one answer on the server and show its feedback: the question's partial for
    htmx, otherwise the page again at that question."""
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.PARTICIPANT)
    exercise = _exercise(the_run, pk)
    the_question = next((q for q in exercise.questions.all() if q.pk == question), None)
    if the_question is None:
        raise Http404
    if not is_released(exercise, run=the_run):
        raise PermissionDenied
    page = reverse("exercises:exercise", kwargs={"slug": slug, "run": run, "pk": pk})
    anchor = f"{page}#question-{the_question.pk}"
    if _throttled(request):
        message = _("You are answering very fast. Wait a minute, then try again.")
        if _is_htmx(request):
            return HttpResponse(message, status=429)
        messages.error(request, message)
        return redirect(anchor)
    lookup = content_lookup(request, the_run.course)
    item = shown(
        lookup, the_run, the_question, None, user=signed_in_person(request), data=request.POST
    )
    assert item.form is not None  # noqa: S101 - shown() makes a form when there is no answer
    if item.form.is_valid():
        try:
            answered = answer_question(
                the_question,
                user=signed_in_person(request),
                response=item.form.response(),
                at=timezone.now(),
                translated_answers=translated_answers(lookup, the_run, the_question),
            )
        except AnswerRefused as refused:
            messages.error(request, str(refused))
            return redirect(anchor)
        item = shown(lookup, the_run, the_question, answered.answer, user=signed_in_person(request))
        if not _is_htmx(request):
            return redirect(anchor)
        if answered.attempt.finished_at is not None:
            # The whole page changes (score, retry button): have htmx load it. The address
            # differs from the page's only by its #fragment, so going there alone would not
            # load anything: HX-Refresh makes htmx reload after setting it.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = anchor
            response["HX-Refresh"] = "true"
            return response
    elif not _is_htmx(request):
        context = _page_context(request, the_run, exercise)
        listed = cast(list[Shown], context["questions"])
        context["questions"] = [item if q.question.pk == item.question.pk else q for q in listed]
        return render(request, "exercises/exercise_detail.html", context, status=400)
    return render(
        request,
        "exercises/exercise_detail.html#question",
        {
            "run": the_run,
            "course": the_run.course,
            "exercise": exercise,
            "item": item,
            "released": True,
            "is_participant": True,
        },
    )


@require_POST
def retry(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.PARTICIPANT)
    exercise = _exercise(the_run, pk)
    if not is_released(exercise, run=the_run):
        raise PermissionDenied
    try:
        start_attempt(exercise, user=signed_in_person(request), at=timezone.now())
    except AnswerRefused as refused:
        messages.error(request, str(refused))
    return redirect("exercises:exercise", slug=slug, run=run, pk=pk)
