from django.urls import path

from . import views
from .exports import FORMATS

app_name = "credit"
urlpatterns = [
    path("outputs/", views.output_list, name="output_list"),
    path("outputs/new/", views.output_create, name="output_create"),
    path("outputs/<slug:slug>/", views.output_detail, name="output_detail"),
    path("outputs/<slug:slug>/edit/", views.output_edit, name="output_edit"),
    path("outputs/<slug:slug>/contributors/", views.contributors, name="contributors"),
    path("outputs/<slug:slug>/contributors/pick/", views.contributors_pick, name="contributors_pick"),
    path("outputs/<slug:slug>/contributors/add/", views.contributor_add, name="contributor_add"),
    path("outputs/<slug:slug>/contributors/<int:pk>/edit/", views.contributor_edit, name="contributor_edit"),
    path("outputs/<slug:slug>/contributors/<int:pk>/move/", views.contributor_move, name="contributor_move"),
    path("outputs/<slug:slug>/contributors/<int:pk>/remove/", views.contributor_remove, name="contributor_remove"),
    # One named address per format, so each takes the output alone (and the bench can name one).
    *(path(f"outputs/<slug:slug>/export/{fmt}/", views.export, {"fmt": fmt}, name=f"export_{fmt}") for fmt in FORMATS),
    path("credits/me/", views.my_credits, name="mine"),
    path("credits/confirm/<int:pk>/", views.confirm, name="confirm"),
    path("credits/people/<int:pk>/", views.person_credits, name="person"),
]
