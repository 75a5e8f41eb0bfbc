from django.urls import path

from . import token_views, views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("export/", views.data_export, name="export"),
    path("delete/", views.account_delete, name="delete"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
]
