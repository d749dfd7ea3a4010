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


SUMMARY = {"templates/includes/error_summary.html", "templates/includes/error_summary_rows.html"}


def test_field_errors_are_summed_up_by_the_one_partial() -> None:
    """Every form page's summary is includes/error_summary.html (a form, a formset or both,
    and a second formset): no page lists its fields' errors itself."""
    summing = [
        _name(p)
        for p in TEMPLATES
        if re.search(r'href="#\{\{ field\.id_for_label \}\}">', p.read_text())
    ]
    assert sorted(set(summing) - SUMMARY) == []


def test_no_page_writes_its_own_form_error_summary() -> None:
    """An `error-summary` box with "Please correct the following" comes only from the
    partial (pages that say why nothing happened, not which field to correct, may use the
    class for its look)."""
    own = [
        _name(p)
        for p in TEMPLATES
        if re.search(r'class="error-summary"(.|\n)*?Please correct the following', p.read_text())
    ]
    assert sorted(set(own) - SUMMARY) == []


def test_the_way_back_to_the_run_is_one_include() -> None:
    """No page but includes/run_crumbs.html writes crumbs that link to the run: the
    sections (live sessions, exercises, the course team) give it their link instead."""
    crumbs = re.compile(r'<nav[^>]*class="crumbs"[^>]*>(.*?)</nav>', re.DOTALL)
    linking = [
        _name(p)
        for p in TEMPLATES
        for nav in crumbs.findall(p.read_text())
        if "run." in nav or "run " in nav
    ]
    assert linking == ["templates/includes/run_crumbs.html"]


STYLESHEETS = sorted(PACKAGE.glob("**/static/**/*.css"))
SITE_CSS = PACKAGE / "static" / "cohortkit" / "site.css"
# Partials of one app rendered inside another app's pages, which load that app's stylesheet.
RENDERED_IN = {"wiki/templates/wiki/includes/experience.html": "applications"}


def _app(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


def _styled_classes(path: Path) -> set[str]:
    """The classes a stylesheet's rules start with (`.pager`, `.stack > *`), not those only
    refining another's (`.dashboard-card .when.warning`)."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.DOTALL)
    selectors = re.findall(r"([^{}]+)\{", text)
    return {
        match.group(1)
        for selector in selectors
        for one in selector.split(",")
        if (match := re.match(r"\s*\.([\w-]+)", one))
    }


def test_a_component_is_styled_in_one_stylesheet() -> None:
    """No class starts rules in two stylesheets: a component several apps use is styled
    once, in site.css."""
    styled_in: dict[str, list[str]] = {}
    for path in STYLESHEETS:
        for name in _styled_classes(path):
            styled_in.setdefault(name, []).append(_name(path))
    assert {name: files for name, files in styled_in.items() if len(files) > 1} == {}


def test_a_class_another_app_styles_is_styled_in_site_css() -> None:
    """A page uses its own app's classes or the site's: a class styled only in another app's
    stylesheet would be unstyled there (that stylesheet is not loaded)."""
    styled_by = {
        name: _app(path)
        for path in STYLESHEETS
        if path != SITE_CSS
        for name in _styled_classes(path)
    }
    mentioned = {
        _app(path): set(re.findall(r"\.([\w-]+)", path.read_text())) for path in STYLESHEETS
    }
    borrowed = sorted(
        (_name(path), name)
        for path in TEMPLATES
        for attribute in re.findall(r'class="([^"]*)"', path.read_text())
        for name in attribute.split()
        if name in styled_by
        and name not in mentioned["static"] | mentioned.get(_app(path), set())
        and styled_by[name] != RENDERED_IN.get(_name(path))
    )
    assert borrowed == []
