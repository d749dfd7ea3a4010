from django.urls import path

from cohortkit.courses import views

app_name = "courses"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("courses/<slug:slug>/", views.detail, name="detail"),
    path("courses/<slug:slug>/<slug:run>/", views.run_home, name="run"),
]
