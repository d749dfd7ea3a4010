"""Templates do each shared thing one way (issue 14 item 9): one error summary, one way back
to the run, each app's stylesheet linked alike, no inline style (the CSP forbids it)."""

import re
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "cohortkit"
TEMPLATES = sorted(PACKAGE.glob("**/templates/**/*.html"))


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


# WeasyPrint draws the certificate from its own styles; no browser ever loads it.
PRINTED = {"learning/templates/learning/certificate_pdf.html"}


def test_no_page_styles_inline() -> None:
    inline = [_name(p) for p in TEMPLATES if re.search(r"<style|\sstyle=", p.read_text())]
    assert sorted(set(inline) - PRINTED) == []


def test_app_stylesheets_are_linked_one_way() -> None:
    """`<link rel="stylesheet" href="{% static '<app>/<app>.css' %}">` in the page's head
    block: one stylesheet per app, named after it (base.html links the site's own)."""
    one_way = re.compile(r"""<link rel="stylesheet" href="\{% static '(\w+)/\1\.css' %\}">""")
    wrong = [
        (_name(path), link)
        for path in TEMPLATES
        if _name(path) != "templates/base.html"
        for link in re.findall(r"<link[^>]*stylesheet[^>]*>", path.read_text())
        if not one_way.fullmatch(link)
    ]
    assert wrong == []


def test_field_errors_are_summed_up_by_the_one_partial() -> None:
    summing = [
        _name(p)
        for p in TEMPLATES
        if re.search(r'href="#\{\{ field\.id_for_label \}\}">', p.read_text())
    ]
    # The peer-review set-up names its criteria and questions by number: still its own.
    assert summing == [
        "reviews/templates/reviews/step_setup.html",
        "templates/includes/error_summary.html",
    ]


def test_the_way_back_to_the_run_is_one_include() -> None:
    linking = [
        _name(p)
        for p in TEMPLATES
        if re.search(
            r'href="\{\{ run\.get_absolute_url \}\}">\{% translated run\.course', p.read_text()
        )
    ]
    # The exercises' crumbs add the exercise after the run: still their own.
    assert linking == [
        "exercises/templates/exercises/_crumbs.html",
        "templates/includes/run_crumbs.html",
    ]
