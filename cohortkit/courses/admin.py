from django.contrib import admin

from cohortkit.courses.models import Course, Module, Run, RunRole, Topic


class RunInline(admin.TabularInline):
    model = Run
    extra = 0
    fields = ["title", "slug", "capacity", "starts_on", "weeks"]
    show_change_link = True


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "language", "weekly_hours", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RunInline]


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    show_change_link = True


class RoleInline(admin.TabularInline):
    model = RunRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "capacity", "applications_open_at", "starts_on", "weeks"]
    list_select_related = ["course"]
    inlines = [ModuleInline, RoleInline]


class TopicInline(admin.StackedInline):
    model = Topic
    extra = 0


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "run", "release_week"]
    list_select_related = ["run__course"]
    inlines = [TopicInline]


@admin.register(RunRole)
class RunRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "run"]
    list_filter = ["role"]
    list_select_related = ["user", "run__course"]
    autocomplete_fields = ["user"]
