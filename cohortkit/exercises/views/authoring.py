"""The course team's pages: an exercise's settings and questions, importing a GIFT or
Aiken file into a module, exporting an exercise as GIFT."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cohortkit.courses.permissions import require_staff, run_for
from cohortkit.exercises.forms import ExerciseForm, ImportForm, QuestionForm
from cohortkit.exercises.gift import write_gift
from cohortkit.exercises.models import Choice, Exercise, Question
from cohortkit.exercises.services import ImportProblem, import_questions, save_question


def _questions(exercise: Exercise) -> list[Question]:
    return list(
        exercise.questions.order_by("position").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position"))
        )
    )


@require_http_methods(["GET", "HEAD", "POST"])
def exercise_edit(request: HttpRequest, slug: str, run: str, pk: int | None = None) -> HttpResponse:
    """A new exercise, or an existing one's settings with its list of questions."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    exercise = get_object_or_404(Exercise, run=the_run, pk=pk) if pk else None
    form = ExerciseForm(request.POST or None, instance=exercise, run=the_run)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("The exercise is saved."))
        return redirect("exercises:edit", slug=slug, run=run, pk=saved.pk)
    return render(
        request,
        "exercises/exercise_form.html",
        {
            "run": the_run,
            "course": the_run.course,
            "exercise": exercise,
            "form": form,
            "questions": _questions(exercise) if exercise else [],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(
    request: HttpRequest, slug: str, run: str, pk: int, question: int | None = None
) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    exercise = get_object_or_404(Exercise, run=the_run, pk=pk)
    existing = get_object_or_404(Question, exercise=exercise, pk=question) if question else None
    initial = (
        QuestionForm.initial_for(existing)
        if existing
        else {"kind": request.GET.get("kind", "single")}
    )
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_question(exercise, data=form.data_question, question=existing)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("exercises:edit", slug=slug, run=run, pk=pk)
    return render(
        request,
        "exercises/question_form.html",
        {
            "run": the_run,
            "course": the_run.course,
            "exercise": exercise,
            "question": existing,
            "form": form,
        },
    )


@require_POST
def question_delete(
    request: HttpRequest, slug: str, run: str, pk: int, question: int
) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    exercise = get_object_or_404(Exercise, run=the_run, pk=pk)
    get_object_or_404(Question, exercise=exercise, pk=question).delete()
    exercise.save(update_fields=["updated_at"])
    messages.success(request, _("The question is deleted."))
    return redirect("exercises:edit", slug=slug, run=run, pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
def import_file(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """Read a GIFT or Aiken file into a module's exercise: all of it, or nothing with the
    line of the first problem named."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    form = ImportForm(request.POST or None, request.FILES or None, run=the_run)
    if request.method == "POST" and form.is_valid():
        try:
            exercise, questions = import_questions(
                form.cleaned_data["module"],
                text=form.cleaned_data["file"],
                file_format=form.cleaned_data["file_format"],
            )
        except ImportProblem as problem:
            form.add_error("file", _("Nothing was imported. %(problem)s") % {"problem": problem})
        else:
            messages.success(
                request,
                _("%(count)d questions imported into “%(title)s”.")
                % {"count": len(questions), "title": exercise.title},
            )
            return redirect("exercises:edit", slug=slug, run=run, pk=exercise.pk)
    return render(
        request,
        "exercises/import_form.html",
        {"run": the_run, "course": the_run.course, "form": form},
    )


@require_safe
def export(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    exercise = get_object_or_404(Exercise, run=the_run, pk=pk)
    text = write_gift(
        [q.as_data() for q in _questions(exercise)],
        comment=f"{the_run.course.title}: {exercise.title}",
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="exercise-{exercise.pk}.gift.txt"'
    return response
