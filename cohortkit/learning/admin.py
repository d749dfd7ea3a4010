from django.contrib import admin

from cohortkit.learning import models


@admin.register(models.LearningPolicy)
class LearningPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "run",
        "requires_all_topics",
        "requires_assignments",
        "min_attendance_percent",
        "requires_final_review",
        "requires_exercises",
    ]


@admin.register(models.Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "run", "issued_at", "revoked_at"]
    search_fields = ["code", "name"]


@admin.register(models.Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "run", "kind", "due_at", "is_required"]


@admin.register(models.SupportAction)
class SupportActionAdmin(admin.ModelAdmin):
    list_display = ["participant", "run", "kind", "taken_at"]
