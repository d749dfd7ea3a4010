from django.urls import path

from cohortkit.applications.views import applicant, coordinator, outbox, review

app_name = "applications"

urlpatterns = [
    path("apply/", applicant.apply, name="apply"),
    path("apply/draft/", applicant.save_draft, name="save_draft"),
    path("apply/withdraw/", applicant.withdraw, name="withdraw"),
    path("apply/offer/<str:answer>/", applicant.respond_offer, name="respond_offer"),
    path("reviews/", review.review_list, name="reviews"),
    path("reviews/<int:pk>/", review.review, name="review"),
    path("applications/", coordinator.application_list_view, name="list"),
    path("applications/export.csv", coordinator.export_csv, name="export"),
    path("applications/setup/", coordinator.setup, name="setup"),
    path("applications/review-progress/", coordinator.progress, name="progress"),
    path("applications/assign-reviewers/", coordinator.assign, name="assign"),
    path("applications/selection/", coordinator.selection_page, name="selection"),
    path("applications/selection/record/", coordinator.record, name="record"),
    path("applications/outbox/", outbox.outbox, name="outbox"),
    path("applications/outbox/prepare/", outbox.prepare, name="prepare"),
    path("applications/outbox/release/", outbox.release, name="release"),
    path("applications/outbox/<int:pk>/", outbox.edit_message, name="message"),
    path("applications/outbox/<int:pk>/retry/", outbox.retry, name="retry"),
    path("applications/<int:pk>/", coordinator.application_detail, name="detail"),
    path(
        "applications/<int:pk>/eligibility/",
        coordinator.override_eligibility,
        name="override_eligibility",
    ),
    path(
        "applications/<int:pk>/decision/", coordinator.override_decision, name="override_decision"
    ),
    path("applications/<int:pk>/wiki/read/", coordinator.read_wiki, name="read_wiki"),
]
