"""The URL map. Run-scoped apps mount under courses/<course>/<run>/ (see docs/architecture.md)."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

RUN = "courses/<slug:slug>/<slug:run>/"

urlpatterns = [
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("cohortkit.accounts.urls")),
    path("", include("cohortkit.notifications.urls")),
    path("", include("cohortkit.wiki.account_urls")),
    path("", include("cohortkit.courses.urls")),
    # Run-scoped apps: their URL patterns start after courses/<slug>/<run>/.
    path(RUN, include("cohortkit.applications.urls")),
    path(RUN, include("cohortkit.scheduling.urls")),
    path(RUN, include("cohortkit.learning.urls")),
    path(RUN, include("cohortkit.reviews.urls")),
    path(RUN, include("cohortkit.exercises.urls")),
    path(RUN, include("cohortkit.reports.urls")),
    path(RUN, include("cohortkit.wiki.urls")),
    # Public certificate verification: certificates/<code>/.
    path("", include("cohortkit.learning.certificate_urls")),
    # Translations are per course, plus a few site-wide pages.
    path("", include("cohortkit.translations.urls")),
]

# Uploads are never served from MEDIA_URL, not even in development: every file goes through
# a view that checks who may read it (learning's attachments and submissions, reviews' works).
