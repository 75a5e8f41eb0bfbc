from django.urls import path

from . import views

app_name = "roles"
urlpatterns = [
    path("", views.role_list, name="list"),
    path("<slug:slug>/", views.role_detail, name="detail"),
]
