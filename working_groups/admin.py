from django.contrib import admin

from .models import WorkingGroup


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "is_open", "capacity", "updated_at"]
    list_filter = ["is_open"]
    search_fields = ["name", "short_description"]
    prepopulated_fields = {"slug": ["name"]}
