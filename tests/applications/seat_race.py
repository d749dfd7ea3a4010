"""Many simultaneous confirmations against a few seats (used by the concurrency tests)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from django.db import connections

from cohortkit.accounts.models import User
from cohortkit.applications import services
from cohortkit.applications.models import Application, ApplicationState, Offer, Seats
from cohortkit.courses.models import Course, Run

AT = datetime(2021, 1, 19, tzinfo=UTC)


def make_offers(*, offers: int, seats: int) -> Run:
    course = Course.objects.create(
        title="Race", slug="race", summary=".", audience=".", weekly_hours=1,
        contact_email="race@example.org",
    )  # fmt: skip
    run = Run.objects.create(
        course=course, title="Race", slug="race", capacity=seats,
        applications_open_at=AT - timedelta(days=30), applications_close_at=AT - timedelta(days=5),
        notification_at=AT - timedelta(days=1), starts_on=(AT + timedelta(days=10)).date(),
    )  # fmt: skip
    people = User.objects.bulk_create(
        User(email=f"racer{i}@example.org", username=f"racer{i}", display_name=f"Racer {i}")
        for i in range(offers)
    )
    applications = Application.objects.bulk_create(
        Application(
            run=run, applicant=person, state=ApplicationState.SUBMITTED,
            submitted_at=AT, consent_at=AT,
        )
        for person in people
    )  # fmt: skip
    Offer.objects.bulk_create(
        Offer(application=a, offered_at=AT - timedelta(days=1), respond_by=AT + timedelta(days=7))
        for a in applications
    )
    Seats.objects.create(run=run, capacity=seats)
    return run


def race(run: Run, *, workers: int) -> dict[str, int]:
    """Confirm every open offer of the run at once from `workers` threads."""
    ids = list(Offer.objects.filter(application__run=run).values_list("pk", flat=True))

    def confirm(offer_id: int) -> str:
        try:
            offer = Offer.objects.select_related("application__run").get(pk=offer_id)
            services.confirm_offer(offer, at=AT)
        except services.RunFull:
            return "full"
        finally:
            connections.close_all()
        return "confirmed"

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(confirm, ids))
    return {
        "confirmed": results.count("confirmed"),
        "full": results.count("full"),
        "confirmed_offers": Offer.objects.filter(application__run=run, state="confirmed").count(),
        "counter": Seats.objects.get(run=run).confirmed,
        "participants": run.roles.filter(role="participant").count(),
    }
