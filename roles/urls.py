from django.urls import path

from . import views

app_name = "roles"
urlpatterns = [
    path("", views.role_list, name="list"),
    path("review/", views.review, name="review"),
    path("history/", views.history, name="history"),
    path("steering-committee/", views.steering, name="steering"),
    path("organization-committee/", views.organization, name="organization"),
    path("figures/", views.figures, name="figures"),
    path("applications/<int:pk>/withdraw/", views.withdraw_application, name="withdraw_application"),
    path("applications/<int:pk>/decide/", views.decide_application, name="decide_application"),
    path("participations/<int:pk>/leave/", views.leave_role, name="leave"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.role_detail, name="detail"),
    path("<slug:slug>/apply/", views.apply, name="apply"),
]
