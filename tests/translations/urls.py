"""A URL map with only the apps the translation pages link to.

Other apps are built in parallel and their URL modules may be mid-change; these tests
should fail only for translation reasons. The browser tests use the real map.
"""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("cohortkit.accounts.urls")),
    path("", include("cohortkit.courses.urls")),
    path("", include("cohortkit.translations.urls")),
]
