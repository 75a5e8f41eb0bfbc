from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.board, name="board"),
    path("languages/", views.languages, name="languages"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/edit/", views.task_edit, name="edit"),
    path("<int:pk>/copy/", views.task_copy, name="copy"),
    path("<int:pk>/status/", views.task_status, name="status"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/reviewers/", views.reviewers, name="reviewers"),
    path("claims/<int:pk>/", views.report, name="report"),
    path("claims/<int:pk>/release/", views.release, name="release"),
    path("contributions/<int:pk>/review/", views.review_contribution, name="review_contribution"),
    path("groups/<slug:slug>/", views.group_tasks, name="group_tasks"),
    path("groups/<slug:slug>/new/", views.task_create, name="create"),
    path("groups/<slug:slug>/tokens/", views.token_create, name="token_create"),
    path("groups/<slug:slug>/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
