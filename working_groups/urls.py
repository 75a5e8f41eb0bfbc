from django.urls import path

from . import views

app_name = "working_groups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="create"),
    path("<slug:slug>/", views.group_detail, name="detail"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/manage/members.csv", views.members_csv, name="members_csv"),
    path("<slug:slug>/manage/edit/", views.group_edit, name="edit"),
    path("<slug:slug>/manage/history/", views.group_history, name="history"),
    path("<slug:slug>/manage/progress/", views.progress_create, name="progress_create"),
    path("<slug:slug>/manage/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<slug:slug>/manage/members/<int:pk>/chair/", views.member_chair, name="member_chair"),
    path("<slug:slug>/manage/chairs/appoint/", views.appoint_chair, name="appoint_chair"),
    path("<slug:slug>/manage/invite/", views.invite, name="invite"),
    path(
        "<slug:slug>/manage/invitations/<int:pk>/resend/",
        views.invitation_action,
        {"action": "resend"},
        name="invitation_resend",
    ),
    path(
        "<slug:slug>/manage/invitations/<int:pk>/withdraw/",
        views.invitation_action,
        {"action": "withdraw"},
        name="invitation_withdraw",
    ),
]
