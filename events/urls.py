from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("hosts/", views.host_events, name="hosts"),  # "hosts" is therefore not an event's slug
    path("calendar.ics", views.public_feed, name="public_feed"),
    path("my-calendar/", views.my_calendar, name="my_calendar"),
    path("my-calendar/reset/", views.my_calendar_reset, name="my_calendar_reset"),
    path("feed/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/event.ics", views.event_calendar, name="ics"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/manage/", views.event_manage, name="manage"),
    path("<slug:slug>/edit/", views.event_edit, name="edit"),
    path("<slug:slug>/publish/", views.event_publish, name="publish"),
    path("<slug:slug>/message/", views.event_message, name="message"),
    path("<slug:slug>/registrations.csv", views.registrations_export, name="export"),
    path("<slug:slug>/registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("<slug:slug>/sessions/new/", views.session_edit, name="session_create"),
    path("<slug:slug>/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("<slug:slug>/sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("<slug:slug>/sessions/<int:pk>/register/", views.session_register, name="session_register"),
    path("<slug:slug>/sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("<slug:slug>/sessions/<int:pk>/posters/", views.poster_add, name="poster_add"),
    path("<slug:slug>/posters/<int:pk>/delete/", views.poster_delete, name="poster_delete"),
]
