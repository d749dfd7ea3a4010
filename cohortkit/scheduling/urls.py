from django.urls import path

from cohortkit.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/availability/", views.availability, name="availability"),
    path("schedule/planner/", views.planner, name="planner"),
    path("schedule/planner/<int:pk>/", views.plan_detail, name="plan"),
    path("schedule/planner/<int:pk>/heatmap.svg", views.plan_heatmap, name="plan_heatmap"),
    path("schedule/planner/<int:pk>/accept/", views.plan_accept, name="plan_accept"),
    path("schedule/sessions/<int:pk>/", views.occurrence_detail, name="occurrence"),
    path("schedule/sessions/<int:pk>/move/", views.occurrence_move, name="occurrence_move"),
    path("schedule/sessions/<int:pk>/cancel/", views.occurrence_cancel, name="occurrence_cancel"),
    path(
        "schedule/sessions/<int:pk>/restore/", views.occurrence_restore, name="occurrence_restore"
    ),
    path(
        "schedule/sessions/<int:pk>/recording/",
        views.occurrence_recording,
        name="occurrence_recording",
    ),
    path("schedule/sessions/<int:pk>/details/", views.session_details, name="session_details"),
    path("schedule/sessions/<int:pk>/session.ics", views.occurrence_ics, name="occurrence_ics"),
    path(
        "schedule/sessions/<int:pk>/attendance/",
        views.attendance_sheet,
        name="attendance_sheet",
    ),
    path(
        "schedule/sessions/<int:pk>/attendance/<int:user_id>/",
        views.attendance_row,
        name="attendance_row",
    ),
    path("schedule/attendance/", views.attendance_overview, name="attendance"),
    path("schedule/calendar/", views.calendar, name="calendar"),
    path("schedule/calendar/new/", views.calendar_new, name="calendar_new"),
    path("schedule/calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("schedule/calendar.ics", views.run_feed, name="run_feed"),
    path("schedule/feed/<str:token>.ics", views.personal_feed, name="personal_feed"),
]
