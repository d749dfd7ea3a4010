"""Mounted under courses/<slug>/<run>/ (see cohortkit/urls.py)."""

from django.urls import path

from cohortkit.learning.views import (
    assignments,
    certificates,
    content,
    recordings,
    rules,
    support,
    talk,
)

app_name = "learning"

urlpatterns = [
    path("learn/", content.modules, name="modules"),
    path("learn/enrol/", content.enrol, name="enrol"),
    path("learn/certificate/", certificates.claim, name="claim_certificate"),
    path("learn/recordings/", recordings.recording_list, name="recordings"),
    path("learn/<int:position>/", content.module_detail, name="module"),
    path("learn/topics/<int:pk>/done/", content.topic_done, name="topic_done"),
    path("learn/topics/<int:pk>/edit/", content.topic_edit, name="topic_edit"),
    path("learn/topics/<int:pk>/files/", content.upload, name="upload"),
    path("learn/preview/", content.preview, name="preview"),
    path("learn/files/<uuid:public_id>/", content.attachment, name="attachment"),
    path("progress/", assignments.grid, name="grid"),
    path("progress/export.csv", assignments.grid_csv, name="grid_csv"),
    path("assignments/", assignments.assignment_list, name="assignments"),
    path("assignments/new/", assignments.assignment_edit, name="assignment_new"),
    path("assignments/<int:pk>/", assignments.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/edit/", assignments.assignment_edit, name="assignment_edit"),
    path("submissions/<int:pk>/", assignments.submission_review, name="submission"),
    path("submissions/<int:pk>/file/", assignments.submission_file, name="submission_file"),
    path("talk/", talk.threads, name="talk"),
    path("talk/module/<int:position>/", talk.threads, name="module_talk"),
    path("talk/settings/", talk.talk_settings, name="talk_settings"),
    path("talk/<int:pk>/", talk.thread_detail, name="thread"),
    path("talk/<int:pk>/answered/", talk.thread_answered, name="thread_answered"),
    path("talk/<int:pk>/hide/", talk.hide, name="thread_hide"),
    path("talk/<int:pk>/replies/<int:reply>/hide/", talk.hide, name="reply_hide"),
    path("support/", support.at_risk_list, name="at_risk"),
    path("support/<int:user_id>/", support.support_person, name="support_person"),
    path("support/ask/", support.ask_help, name="ask_help"),
    path("support/requests/<int:pk>/answer/", support.answer_help, name="answer_help"),
    path("completion/", certificates.completion_list, name="completion"),
    path("completion/issue/", certificates.issue, name="issue_certificates"),
    path("completion/rules/", rules.completion_rules, name="completion_rules"),
    path("completion/<str:code>/revoke/", certificates.revoke, name="revoke_certificate"),
    # The run's own addresses for a certificate (the public ones are /certificates/<code>/,
    # learning/certificate_urls.py): links in mails sent before the public ones existed.
    path("certificates/<str:code>/", certificates.verify, name="certificate_verify"),
    path("certificates/<str:code>/pdf/", certificates.pdf, name="certificate_pdf"),
]
