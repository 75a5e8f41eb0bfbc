"""The newsletter: read-only here. Organizers edit, approve and send issues on their pages
(``newsletter.services``: the state machine, one delivery per recipient); news posts likewise."""

from django.contrib import admin

from bigscience_portal.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Delivery, Feedback, Issue, IssueItem, NewsPost, Subscription


@admin.register(NewsPost)
class NewsPostAdmin(ReadOnlyAdmin):
    list_display = ["title", "published_at", "is_published", "author"]
    list_filter = ["is_published"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"


class IssueItemInline(ReadOnlyTabularInline):
    model = IssueItem
    fields = ["position", "kind", "title", "included", "working_group"]


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "status", "scheduled_for", "sending_started_at", "sent_at", "is_public"]
    list_filter = ["status", "is_public"]
    search_fields = ["title", "editorial"]
    inlines = [IssueItemInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["issue", "email", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "issue"]
    search_fields = ["email", "name"]
    list_select_related = ["issue"]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["email", "name", "user", "confirmed_at", "unsubscribed_at", "bounced_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), ("unsubscribed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "name"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["issue", "item", "name", "email", "created_at"]
    list_filter = ["issue"]
    search_fields = ["body", "email", "name"]
    list_select_related = ["issue", "item"]


@admin.register(IssueItem)
class IssueItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "issue", "kind", "included", "working_group"]
    list_filter = ["kind", "included"]
    search_fields = ["title", "body"]
    list_select_related = ["issue", "working_group"]
