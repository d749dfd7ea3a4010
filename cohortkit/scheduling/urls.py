from django.urls import path

from cohortkit.scheduling.views import (
    attendance,
    availability,
    calendars,
    meetings,
    plans,
    schedule,
)

app_name = "scheduling"

urlpatterns = [
    path("schedule/", schedule.schedule, name="schedule"),
    path("schedule/availability/", availability.availability, name="availability"),
    path("schedule/planner/", plans.planner, name="planner"),
    path("schedule/planner/<int:pk>/", plans.plan_detail, name="plan"),
    path("schedule/planner/<int:pk>/heatmap.svg", plans.plan_heatmap, name="plan_heatmap"),
    path("schedule/planner/<int:pk>/accept/", plans.plan_accept, name="plan_accept"),
    path("schedule/sessions/<int:pk>/", meetings.occurrence_detail, name="occurrence"),
    path("schedule/sessions/<int:pk>/move/", meetings.occurrence_move, name="occurrence_move"),
    path(
        "schedule/sessions/<int:pk>/cancel/", meetings.occurrence_cancel, name="occurrence_cancel"
    ),
    path(
        "schedule/sessions/<int:pk>/restore/",
        meetings.occurrence_restore,
        name="occurrence_restore",
    ),
    path(
        "schedule/sessions/<int:pk>/recording/",
        meetings.occurrence_recording,
        name="occurrence_recording",
    ),
    path("schedule/sessions/<int:pk>/details/", meetings.session_details, name="session_details"),
    path("schedule/sessions/<int:pk>/session.ics", calendars.occurrence_ics, name="occurrence_ics"),
    path(
        "schedule/sessions/<int:pk>/attendance/",
        attendance.attendance_sheet,
        name="attendance_sheet",
    ),
    path(
        "schedule/sessions/<int:pk>/attendance/<int:user_id>/",
        attendance.attendance_row,
        name="attendance_row",
    ),
    path("schedule/attendance/", attendance.attendance_overview, name="attendance"),
    path("schedule/attendance/export.csv", attendance.attendance_csv, name="attendance_csv"),
    path("schedule/calendar/", calendars.calendar, name="calendar"),
    path("schedule/calendar/new/", calendars.calendar_new, name="calendar_new"),
    path("schedule/calendar/revoke/", calendars.calendar_revoke, name="calendar_revoke"),
    path("schedule/calendar.ics", calendars.run_feed, name="run_feed"),
    path("schedule/feed/<str:token>.ics", calendars.personal_feed, name="personal_feed"),
]
