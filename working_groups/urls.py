from django.urls import path

from . import views

app_name = "working_groups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("<slug:slug>/", views.group_detail, name="detail"),
]
