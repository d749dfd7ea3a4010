"""The project's URLs plus the site-wide certificate pages, as they will be mounted."""

from django.urls import include, path

from cohortkit.urls import urlpatterns as project

urlpatterns = [path("", include("cohortkit.learning.certificate_urls")), *project]
