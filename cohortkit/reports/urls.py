from django.urls import path

from cohortkit.reports import cohort_views, views

app_name = "reports"

urlpatterns = [
    path("reports/applications/", views.applications, name="applications"),
    path(
        "reports/applications/<str:dimension>.svg",
        views.applications_chart,
        name="applications_chart",
    ),
    path("reports/cohort/", cohort_views.cohort, name="cohort"),
    path("reports/cohort/<str:report>.svg", cohort_views.cohort_chart, name="cohort_chart"),
    path("reports/cohort/<str:report>.csv", cohort_views.cohort_csv, name="cohort_csv"),
]
