"""The translation pages: overview, side-by-side editor, exchange files, and the course text
in the reader's content language."""

import difflib
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Course
from cohortkit.translations import services
from cohortkit.translations.exchange import (
    CONTENT_TYPES,
    EXTENSIONS,
    FileProblem,
    ImportRejected,
    export_file,
    import_translations,
    parse_file,
)
from cohortkit.translations.forms import (
    ContentLanguageForm,
    ExportForm,
    FilterForm,
    ImportForm,
    LanguageForm,
    TranslationForm,
    VersionForm,
)
from cohortkit.translations.models import LanguageVersion, SourceUnit, State, Translation
from cohortkit.translations.permissions import (
    course_for,
    may_manage,
    may_review,
    require_manager,
    require_translator,
    version_for,
)
from cohortkit.translations.queries import (
    is_bidi,
    language_name,
    language_name_in_interface,
    progress_by_language,
)

PAGE_SIZE = 40
_WORDS = re.compile(r"\s+|[^\s]+")


def source_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level changes from `old` to `new` as (operation, text): "", "del" or "ins"."""
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("", "".join(before[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("del", "".join(before[a1:a2])))
        if b2 > b1:
            parts.append(("ins", "".join(after[b1:b2])))
    return parts


def _overview_page(
    request: HttpRequest, course: Course, form: LanguageForm, *, status: int = 200
) -> HttpResponse:
    versions = list(LanguageVersion.objects.filter(course=course).exclude(language=course.language))
    progress = progress_by_language(course, [v.language for v in versions])
    for version in versions:
        version.progress = progress[version.language]  # type: ignore[attr-defined]
        version.name = language_name(version.language)  # type: ignore[attr-defined]
    return render(
        request,
        "translations/overview.html",
        {
            "course": course,
            "versions": versions,
            "source_name": language_name_in_interface(course.language),
            "may_manage": may_manage(request, course),
            "language_form": form,
        },
        status=status,
    )


@require_safe
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """A course's languages with their progress, and what the person may do with them."""
    course = course_for(request, slug)
    require_translator(request, course)
    return _overview_page(request, course, LanguageForm(source=course.language))


@require_POST
def start_language(request: HttpRequest, slug: str) -> HttpResponse:
    course = course_for(request, slug)
    require_translator(request, course)
    form = LanguageForm(request.POST, source=course.language)
    if not form.is_valid():
        return _overview_page(request, course, form, status=400)
    version = services.start_language(course, language=form.cleaned_data["language"])
    return redirect("translations:editor", slug=course.slug, language=version.language)


def _row(unit: SourceUnit, translation: Translation | None) -> dict[str, object]:
    state = translation.state if translation else State.UNTRANSLATED
    diff = []
    if translation and state == State.OUTDATED:
        diff = source_diff(translation.source_text_at_translation, unit.text)
    return {"unit": unit, "translation": translation, "state": state, "diff": diff}


@require_safe
def editor(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """Source and target side by side, filtered by state, one form per unit."""
    course = course_for(request, slug)
    require_translator(request, course)
    version = version_for(course, language)
    filters = FilterForm(request.GET)
    state = filters.cleaned_data.get("state", "") if filters.is_valid() else ""
    page_number = (filters.cleaned_data.get("page") if filters.is_valid() else None) or 1
    units = SourceUnit.objects.current().filter(course=course).order_by("position")
    if state == State.UNTRANSLATED:
        units = units.exclude(
            Q(translations__language=language) & ~Q(translations__state=State.UNTRANSLATED)
        )
    elif state:
        units = units.filter(translations__language=language, translations__state=state)
    units = units.prefetch_related(
        Prefetch(
            "translations",
            queryset=Translation.objects.filter(language=language),
            to_attr="in_language",
        )
    )
    page = Paginator(units, PAGE_SIZE).get_page(page_number)
    rows = []
    for unit in page.object_list:
        translation = unit.in_language[0] if unit.in_language else None  # type: ignore[attr-defined]
        row = _row(unit, translation)
        row["form"] = TranslationForm(
            initial={"text": translation.text if translation else ""},
            source=unit.text,
            unit_id=unit.pk,
        )
        rows.append(row)
    progress = progress_by_language(course, [language])[language]
    return render(
        request,
        "translations/editor.html",
        {
            "course": course,
            "version": version,
            "language": language,
            "language_name": language_name(language),
            "bidi": is_bidi(language),
            "source_bidi": is_bidi(course.language),
            "rows": rows,
            "page": page,
            "filters": filters,
            "state": state,
            "progress": progress,
            "may_review": may_review(request, version),
            "may_manage": may_manage(request, course),
            "version_form": VersionForm(
                initial={
                    "is_published": version.is_published,
                    "shows_unreviewed": version.shows_unreviewed,
                }
            ),
        },
    )


def _unit_response(
    request: HttpRequest,
    version: LanguageVersion,
    unit: SourceUnit,
    form: TranslationForm,
    *,
    saved: str = "",
) -> HttpResponse:
    translation = Translation.objects.filter(unit=unit, language=version.language).first()
    row = _row(unit, translation)
    row["form"] = form
    context = {
        "course": version.course,
        "version": version,
        "language": version.language,
        "language_name": language_name(version.language),
        "bidi": is_bidi(version.language),
        "source_bidi": is_bidi(version.course.language),
        "row": row,
        "saved": saved,
        "may_review": may_review(request, version),
        "next": request.POST.get("next", ""),
    }
    if request.headers.get("HX-Request"):
        return render(request, "translations/editor.html#unit-row", context)
    return render(
        request, "translations/unit_page.html", context, status=400 if form.errors else 200
    )


def _back(request: HttpRequest, version: LanguageVersion, unit: SourceUnit) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse(
            "translations:editor",
            kwargs={"slug": version.course.slug, "language": version.language},
        )
    return redirect(f"{target.split('#')[0]}#unit-{unit.pk}")


@require_POST
def save_unit(request: HttpRequest, slug: str, language: str, unit: int) -> HttpResponse:
    course = course_for(request, slug)
    require_translator(request, course)
    version = version_for(course, language)
    the_unit = get_object_or_404(SourceUnit, course=course, pk=unit, is_current=True)
    form = TranslationForm(request.POST, source=the_unit.text, unit_id=the_unit.pk)
    if not form.is_valid():
        return _unit_response(request, version, the_unit, form)
    services.save_translation(
        the_unit,
        language=language,
        text=form.cleaned_data["text"],
        by=signed_in_person(request),
        at=timezone.now(),
    )
    if request.headers.get("HX-Request"):
        fresh = TranslationForm(
            initial={"text": form.cleaned_data["text"]}, source=the_unit.text, unit_id=the_unit.pk
        )
        return _unit_response(request, version, the_unit, fresh, saved=_("Saved."))
    messages.success(request, _("Saved."))
    return _back(request, version, the_unit)


@require_POST
def review_unit(request: HttpRequest, slug: str, language: str, unit: int) -> HttpResponse:
    course = course_for(request, slug)
    require_translator(request, course)
    version = version_for(course, language)
    if not may_review(request, version):
        return HttpResponse(status=403)
    the_unit = get_object_or_404(SourceUnit, course=course, pk=unit, is_current=True)
    translation = get_object_or_404(
        Translation, unit=the_unit, language=language, state=State.TRANSLATED
    )
    services.review_translation(translation, by=signed_in_person(request), at=timezone.now())
    if request.headers.get("HX-Request"):
        form = TranslationForm(
            initial={"text": translation.text}, source=the_unit.text, unit_id=the_unit.pk
        )
        return _unit_response(request, version, the_unit, form, saved=_("Approved."))
    messages.success(request, _("Approved."))
    return _back(request, version, the_unit)


@require_POST
def update_version(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    course = course_for(request, slug)
    require_manager(request, course)
    version = version_for(course, language)
    form = VersionForm(request.POST)
    if form.is_valid():
        services.update_language_version(version, **form.cleaned_data)
        messages.success(request, _("Language settings saved."))
    return redirect("translations:editor", slug=course.slug, language=language)


@require_safe
def export(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    course = course_for(request, slug)
    require_translator(request, course)
    version_for(course, language)
    form = ExportForm(request.GET or None)
    if not form.is_valid():
        return render(
            request,
            "translations/exchange.html",
            {
                "course": course,
                "language": language,
                "language_name": language_name(language),
                "export_form": form if request.GET else ExportForm(),
                "import_form": ImportForm(),
            },
            status=400 if request.GET else 200,
        )
    file_format = form.cleaned_data["file_format"]
    try:
        text = export_file(course, language=language, file_format=file_format)
    except FileProblem as error:
        messages.error(request, str(error))
        return redirect("translations:export", slug=course.slug, language=language)
    response = HttpResponse(text, content_type=CONTENT_TYPES[file_format])
    name = f"{course.slug}.{language}.{EXTENSIONS[file_format]}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def import_file(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """GET: the upload form; POST: validate and import, then show what changed."""
    course = course_for(request, slug)
    require_translator(request, course)
    version_for(course, language)
    context: dict[str, object] = {
        "course": course,
        "language": language,
        "language_name": language_name(language),
        "export_form": ExportForm(),
    }
    if request.method != "POST":
        return render(
            request, "translations/exchange.html", {**context, "import_form": ImportForm()}
        )
    form = ImportForm(request.POST, request.FILES)
    problems: list[str] = []
    if form.is_valid():
        try:
            entries = parse_file(
                form.cleaned_data["file"].read(),
                language=language,
                file_format=form.cleaned_data["file_format"],
            )
            report = import_translations(
                course,
                language=language,
                entries=entries,
                by=signed_in_person(request),
                at=timezone.now(),
                force=form.cleaned_data["force"],
            )
        except FileProblem as error:
            problems = [str(error)]
        except ImportRejected as error:
            problems = error.problems
        else:
            return render(
                request,
                "translations/exchange.html",
                {**context, "import_form": ImportForm(), "report": report},
            )
    return render(
        request,
        "translations/exchange.html",
        {**context, "import_form": form, "problems": problems},
        status=400,
    )


@login_not_required
@require_safe
def course_text(request: HttpRequest, slug: str) -> HttpResponse:
    """The course's description and outline in the reader's content language."""
    course = course_for(request, slug)
    run = (
        course.runs.filter(modules__isnull=False)
        .order_by("-starts_on")
        .prefetch_related("modules__topics")
        .first()
    )
    return render(request, "translations/course_text.html", {"course": course, "outline_run": run})


@login_not_required
@require_POST
def choose_content_language(request: HttpRequest) -> HttpResponse:
    """Remember the content language: in the profile when signed in, else in the session."""
    form = ContentLanguageForm(request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("courses:catalogue")
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.choose_content_language(signed_in_person(request), language=language)
        request.session["content_language"] = language
    else:
        messages.error(request, _("That language is not available."))
    return redirect(target)
