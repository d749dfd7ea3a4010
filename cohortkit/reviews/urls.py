"""Peer review, under courses/<slug>/<run>/reviews/."""

from django.urls import path

from cohortkit.reviews import views

app_name = "reviews"

urlpatterns = [
    path("reviews/setup/", views.setup, name="setup"),
    path("reviews/allocation/", views.allocation, name="allocation"),
    path("reviews/allocation/allocate/", views.allocate, name="allocate"),
    path("reviews/allocation/repair/", views.repair, name="repair"),
    path("reviews/my-work/", views.work, name="work"),
    path("reviews/my-results/", views.results, name="results"),
    path("reviews/to-give/", views.assigned, name="assigned"),
    path("reviews/review/<int:pk>/", views.review, name="review"),
    path("reviews/review/<int:pk>/autosave/", views.autosave, name="autosave"),
    path("reviews/review/<int:pk>/flag/", views.flag, name="flag"),
    path("reviews/review/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("reviews/overview/", views.overview, name="overview"),
    path("reviews/work/<int:pk>/", views.work_detail, name="work_detail"),
    path("reviews/work/<int:pk>/file/", views.work_file, name="work_file"),
    path("reviews/work/<int:pk>/staff-review/", views.staff_review, name="staff_review"),
]
