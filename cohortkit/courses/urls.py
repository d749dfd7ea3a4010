from django.urls import path

from cohortkit.courses import team_views, views

app_name = "courses"

RUN = "courses/<slug:slug>/<slug:run>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<slug:slug>/", views.detail, name="detail"),
    path("courses/<slug:slug>/runs/new/", team_views.run_new, name="run_new"),
    path("courses/<slug:slug>/<slug:run>/", views.run_home, name="run"),
    # The course team's pages (run-scoped; coordinators).
    path(RUN + "team/", team_views.team, name="team"),
    path(RUN + "team/settings/", team_views.run_settings, name="run_settings"),
    path(RUN + "team/invite/", team_views.team_invite, name="team_invite"),
    path(RUN + "team/roles/<int:pk>/remove/", team_views.role_remove, name="role_remove"),
    path(
        RUN + "team/invitations/<int:pk>/withdraw/",
        team_views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path(RUN + "team/outline/", team_views.outline, name="outline"),
    path(RUN + "team/outline/modules/new/", team_views.module_new, name="module_new"),
    path(RUN + "team/outline/modules/<int:pk>/", team_views.module_edit, name="module_edit"),
    path(
        RUN + "team/outline/modules/<int:pk>/<str:direction>/",
        team_views.module_move,
        name="module_move",
    ),
    path(RUN + "team/outline/modules/<int:pk>/topics/new/", team_views.topic_new, name="topic_new"),
    path(
        RUN + "team/outline/topics/<int:pk>/<str:direction>/",
        team_views.topic_move,
        name="topic_move",
    ),
    path("invitations/<str:token>/", team_views.invitation, name="invitation"),
]
