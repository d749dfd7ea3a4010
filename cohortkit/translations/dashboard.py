"""The dashboard reads course texts in the person's content language: loaded here for all
the courses it shows at once (two queries however many), after every app's `prepare` and
before any app builds its cards."""

from django.http import HttpRequest

from cohortkit.courses.dashboard import Board
from cohortkit.translations.queries import content_lookup, load_content_texts


def prepare_texts(request: HttpRequest, board: Board) -> None:
    runs = board.all_runs()
    load_content_texts(request, {run.course_id: run.course for run in runs}.values())
    for run in runs:
        texts = content_lookup(request, run.course)
        board.labels[run.pk] = f"{texts.text('course.title', run.course.title)} · {texts.run(run)}"
