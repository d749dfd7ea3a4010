"""Certificates: verification and the PDF are public by code, site-wide and under their run;
only a coordinator of the run revokes. For every role of the cast."""

from datetime import UTC, datetime

import pytest
from django.http import HttpResponse
from django.urls import reverse

from cohortkit.learning.models import Certificate
from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.factories.learning import CertificateFactory

URL_NAMES = {
    "certificates:verify",
    "certificates:pdf",
    "learning:certificate_verify",
    "learning:certificate_pdf",
    "learning:revoke_certificate",
}

PUBLIC = dict.fromkeys(ROLES, 200)
NOWHERE = dict.fromkeys(ROLES, 404)


@pytest.fixture
def certificates(cast: Cast) -> dict[str, Certificate]:
    return {
        "valid": CertificateFactory(run=cast.run, user=cast.participant),
        "revoked": CertificateFactory(
            run=cast.run,
            user=cast.reviewer,
            revoked_at=datetime(2021, 4, 1, tzinfo=UTC),
            revoked_reason="Issued by mistake",
        ),
        "other": CertificateFactory(run=cast.other_run, user=cast.other_participant),
    }


def _run(cast: Cast) -> dict[str, str]:
    return {"slug": cast.run.course.slug, "run": cast.run.slug}


def pages(cast: Cast, certificates: dict[str, Certificate]) -> list[tuple[str, dict[str, int]]]:
    """GET: (url, role -> status)."""
    valid, revoked, other = (certificates[k].code for k in ["valid", "revoked", "other"])
    run = _run(cast)
    return [
        (reverse("certificates:verify", kwargs={"code": valid}), PUBLIC),
        (reverse("certificates:pdf", kwargs={"code": valid}), PUBLIC),
        (reverse("certificates:verify", kwargs={"code": valid.lower()}), PUBLIC),
        # A revoked certificate's page says so; its PDF is gone.
        (reverse("certificates:verify", kwargs={"code": revoked}), PUBLIC),
        (reverse("certificates:pdf", kwargs={"code": revoked}), dict.fromkeys(ROLES, 410)),
        (reverse("certificates:verify", kwargs={"code": "NOPE-NOPE-NOPE"}), NOWHERE),
        (reverse("certificates:pdf", kwargs={"code": "NOPE-NOPE-NOPE"}), NOWHERE),
        (reverse("learning:certificate_verify", kwargs={**run, "code": valid}), PUBLIC),
        (reverse("learning:certificate_pdf", kwargs={**run, "code": valid}), PUBLIC),
        # Another run's certificate is not found under this run, even by its owner.
        (reverse("learning:certificate_verify", kwargs={**run, "code": other}), NOWHERE),
        (reverse("learning:certificate_pdf", kwargs={**run, "code": other}), NOWHERE),
        # Revoking is a POST.
        (
            reverse("learning:revoke_certificate", kwargs={**run, "code": valid}),
            {**dict.fromkeys(ROLES, 405), "anonymous": 302},
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_page_answers_each_role_and_get_changes_nothing(
    cast: Cast, certificates: dict[str, Certificate], role: str
) -> None:
    client = cast.client_for(role)
    before = snapshot(Certificate)

    seen = {url: client.get(url).status_code for url, _ in pages(cast, certificates)}

    assert seen == {url: expected[role] for url, expected in pages(cast, certificates)}
    assert snapshot(Certificate) == before


def test_the_pages_show_the_certificate_and_the_pdf_is_a_pdf(
    cast: Cast, certificates: dict[str, Certificate]
) -> None:
    client = cast.client_for("anonymous")
    code = certificates["valid"].code
    page = client.get(reverse("certificates:verify", kwargs={"code": code}))
    revoked = client.get(
        reverse("certificates:verify", kwargs={"code": certificates["revoked"].code})
    )
    pdf = client.get(reverse("certificates:pdf", kwargs={"code": code}))
    assert (page.context["certificate"], revoked.context["certificate"]) == (
        certificates["valid"],
        certificates["revoked"],
    )
    assert (pdf["Content-Type"], pdf.content[:5]) == ("application/pdf", b"%PDF-")


def _answer(response: HttpResponse) -> tuple[int, str]:
    return response.status_code, response.headers.get("Location", "").split("?")[0]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_runs_coordinator_revokes(
    cast: Cast, certificates: dict[str, Certificate], role: str
) -> None:
    url = reverse(
        "learning:revoke_certificate", kwargs={**_run(cast), "code": certificates["valid"].code}
    )
    client = cast.client_for(role)
    before = snapshot(Certificate)

    response = client.post(url, {"reason": "Plagiarised final work"})

    expected = {
        **dict.fromkeys(ROLES, (403, "")),
        "anonymous": (302, reverse("accounts:login")),
        "coordinator": (302, reverse("learning:completion", kwargs=_run(cast))),
    }
    assert _answer(response) == expected[role]
    certificates["valid"].refresh_from_db()
    if role == "coordinator":
        assert certificates["valid"].revoked_reason == "Plagiarised final work"
    else:
        assert snapshot(Certificate) == before


def test_another_runs_certificate_cannot_be_revoked_through_this_run(
    cast: Cast, certificates: dict[str, Certificate]
) -> None:
    url = reverse(
        "learning:revoke_certificate", kwargs={**_run(cast), "code": certificates["other"].code}
    )
    before = snapshot(Certificate)
    response = cast.client_for("coordinator").post(url, {"reason": "Not ours"})
    assert (response.status_code, snapshot(Certificate)) == (404, before)


def test_url_names_are_the_ones_the_tables_request(
    cast: Cast, certificates: dict[str, Certificate]
) -> None:
    assert view_names(url for url, _ in pages(cast, certificates)) == URL_NAMES
