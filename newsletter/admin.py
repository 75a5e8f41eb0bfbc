from django.contrib import admin

from .models import Delivery, Feedback, Issue, IssueItem, NewsPost, Subscription


@admin.register(NewsPost)
class NewsPostAdmin(admin.ModelAdmin):
    list_display = ["title", "published_at", "is_published", "author"]
    list_filter = ["is_published"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    raw_id_fields = ["author"]


class IssueItemInline(admin.TabularInline):
    model = IssueItem
    extra = 0
    fields = ["position", "kind", "title", "included", "working_group"]
    readonly_fields = ["kind", "working_group"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    """Status changes go through the organizers' pages (services), not here."""

    list_display = ["number", "title", "status", "scheduled_for", "sending_started_at", "sent_at", "is_public"]
    list_filter = ["status", "is_public"]
    search_fields = ["title", "editorial"]
    readonly_fields = ["status", "approved_by", "approved_at", "sending_started_at", "sent_at", "created_by", "figures"]
    inlines = [IssueItemInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["issue", "email", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "issue"]
    search_fields = ["email", "name"]
    raw_id_fields = ["issue", "user"]
    readonly_fields = ["claimed_at", "claimed_by", "sent_at", "attempts"]
    list_select_related = ["issue"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "user", "confirmed_at", "unsubscribed_at", "bounced_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), ("unsubscribed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "name"]
    raw_id_fields = ["user"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["issue", "item", "name", "email", "created_at"]
    list_filter = ["issue"]
    search_fields = ["body", "email", "name"]
    raw_id_fields = ["issue", "item", "user"]
    list_select_related = ["issue", "item"]


@admin.register(IssueItem)
class IssueItemAdmin(admin.ModelAdmin):
    list_display = ["title", "issue", "kind", "included", "working_group"]
    list_filter = ["kind", "included"]
    search_fields = ["title", "body"]
    raw_id_fields = ["issue", "news_post", "progress_update", "event", "working_group"]
    list_select_related = ["issue", "working_group"]
