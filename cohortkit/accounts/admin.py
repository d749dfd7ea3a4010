from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from cohortkit.accounts.models import User


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = ["email", "display_name", "timezone", "region", "email_verified_at", "is_staff"]
    search_fields = ["email", "display_name", "wiki_username", "home_community"]
    list_filter = ["is_staff", "region"]
    ordering = ["email"]
    fieldsets = [
        *(UserAdmin.fieldsets or []),
        (
            "cohortkit",
            {
                "fields": [
                    "display_name",
                    "email_verified_at",
                    "timezone",
                    "languages",
                    "interface_language",
                    "content_language",
                    "wiki_username",
                    "home_community",
                    "region",
                ]
            },
        ),
    ]
