from django.urls import path

from cohortkit.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/applications/", views.applications, name="applications"),
    path(
        "reports/applications/<str:dimension>.svg",
        views.applications_chart,
        name="applications_chart",
    ),
]
