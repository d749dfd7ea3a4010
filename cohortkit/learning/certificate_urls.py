"""Site-wide certificate pages: include with
`path("", include("cohortkit.learning.certificate_urls"))` in cohortkit/urls.py."""

from django.urls import path

from cohortkit.learning.views import certificates

app_name = "certificates"

urlpatterns = [
    path("certificates/<str:code>/", certificates.verify, name="verify"),
    path("certificates/<str:code>/pdf/", certificates.pdf, name="pdf"),
]
