from django.urls import path

from . import feeds, views

app_name = "newsletter"
urlpatterns = [
    path("", views.news_list, name="news_list"),
    path("feed/", feeds.NewsFeed(), name="news_feed"),
    path("new/", views.news_create, name="news_create"),
    # The newsletter: archive, feedback, organizers' pages, subscriptions.
    path("issues/", views.issue_list, name="issue_list"),
    path("issues/<int:number>/", views.issue_detail, name="issue_detail"),
    path("feedback/", views.feedback_list, name="feedback_list"),
    path("manage/", views.manage, name="manage"),
    path("manage/draft/", views.issue_draft, name="issue_draft"),
    path("manage/<int:pk>/", views.issue_manage, name="issue_manage"),
    path("manage/<int:pk>/edit/", views.issue_edit, name="issue_edit"),
    path("manage/<int:pk>/deliveries/", views.issue_deliveries, name="issue_deliveries"),
    path("manage/<int:pk>/preview.html", views.issue_preview_html, name="issue_preview_html"),
    path("manage/<int:pk>/<slug:action>/", views.issue_action, name="issue_action"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/undo/", views.resubscribe, name="resubscribe"),
    path("preferences/", views.preferences, name="preferences"),
    # News posts last: their slugs never take the names above (see services.RESERVED_SLUGS).
    path("<slug:slug>/", views.news_detail, name="news_detail"),
    path("<slug:slug>/edit/", views.news_edit, name="news_edit"),
]
