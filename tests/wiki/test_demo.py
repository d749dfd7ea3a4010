"""The demo shows the wiki features without a wiki: stored figures for most applicants, a
wiki eligibility rule applied from them, course edits by week for some participants of the
run in progress, and one failed read; loading it opens no network connection."""

import socket

import pytest
from django.test import Client
from django.urls import reverse

from cohortkit.applications.models import Application, RuleKind
from cohortkit.courses.demo import load_demo
from cohortkit.wiki.models import EditSharing, WikiEdit, WikiFigures, WikiIdentity, WikiRead
from cohortkit.wiki.queries import participant_edits

pytestmark = pytest.mark.django_db


def _no_network(*args: object, **kwargs: object) -> None:
    raise AssertionError("the demo must not open a network connection")


def test_the_demo_has_wiki_figures_a_wiki_rule_and_course_edits_without_a_wiki(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(socket, "getaddrinfo", _no_network)
    demo = load_demo()
    monkeypatch.undo()

    applicant = demo.applicants[0]
    assert WikiIdentity.objects.get(person=applicant).username == applicant.wiki_username
    assert WikiFigures.objects.filter(person__in=demo.applicants).count() == 96
    rule = demo.open_run.eligibility_rules.get(kind=RuleKind.WIKI_EDITS)
    submitted = Application.objects.filter(run=demo.open_run, state="submitted")
    unverified = submitted.exclude(applicant__wiki_identity__isnull=False)
    assert {a.is_eligible for a in unverified} == {False}
    assert all(rule.reason in a.eligibility_reason for a in unverified)
    assert submitted.filter(is_eligible=True).count() >= 40  # enough for the 40 seats
    assert WikiRead.objects.filter(person__in=demo.applicants).exclude(problems=[]).count() == 1

    rows = participant_edits(demo.current_run)
    counted = [row for row in rows if row.total]
    assert 5 <= len(counted) <= 7  # eight verified, one of them not sharing
    assert sum(row.weeks[0] for row in counted) > 0
    hidden = EditSharing.objects.get(run=demo.current_run, is_shared=False).person
    assert [row.is_shared for row in rows if row.person == hidden] == [False]
    assert WikiEdit.objects.filter(person=hidden).exists()


def test_the_demo_pages_show_the_wiki_features() -> None:
    demo = load_demo()
    kwargs = {"slug": demo.course.slug, "run": demo.current_run.slug}
    facilitator = Client()
    facilitator.force_login(demo.facilitators[0])
    page = facilitator.get(reverse("wiki:edits", kwargs=kwargs)).content.decode()
    assert "Example Wikipedia (demo)" in page
    assert "Wikipedia:Partnership Building/" in page
    applicant = Client()
    applicant.force_login(demo.applicants[0])
    profile = applicant.get(reverse("accounts:profile")).content.decode()
    assert "Unlink my wiki account" in profile
    assert "Sign in with" not in Client().get(reverse("accounts:login")).content.decode()


def test_loading_the_demo_twice_adds_no_wiki_data() -> None:
    load_demo()
    counts = [m.objects.count() for m in (WikiIdentity, WikiFigures, WikiEdit, WikiRead)]
    load_demo()
    assert [m.objects.count() for m in (WikiIdentity, WikiFigures, WikiEdit, WikiRead)] == counts
