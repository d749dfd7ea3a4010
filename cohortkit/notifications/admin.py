from django.contrib import admin

from cohortkit.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "kind", "state", "send_at", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient", "subject"]
