from django.contrib import admin

from cohortkit.wiki.models import Wiki, WikiFigures, WikiIdentity


@admin.register(Wiki)
class WikiAdmin(admin.ModelAdmin[Wiki]):
    list_display = ["name", "api_url"]


@admin.register(WikiIdentity)
class WikiIdentityAdmin(admin.ModelAdmin[WikiIdentity]):
    list_display = ["username", "person", "verified_at"]
    search_fields = ["username", "person__email"]
    readonly_fields = ["central_id", "username", "verified_at"]


@admin.register(WikiFigures)
class WikiFiguresAdmin(admin.ModelAdmin[WikiFigures]):
    list_display = ["username", "wiki", "edit_count", "registered_at", "read_at"]
    readonly_fields = [
        "person",
        "wiki",
        "username",
        "edit_count",
        "registered_at",
        "groups",
        "read_at",
    ]
