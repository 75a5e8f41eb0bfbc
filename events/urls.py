from django.urls import path, register_converter

from . import programme_views as programme
from . import views


class CodeConverter:
    """A session's or speaker's stable code: six capitals and digits."""

    regex = "[A-Z0-9]{6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CodeConverter, "code")

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("hosts/", views.host_events, name="hosts"),  # "hosts" is therefore not an event's slug
    path("calendar.ics", views.public_feed, name="public_feed"),
    path("my-calendar/", views.my_calendar, name="my_calendar"),
    path("my-calendar/reset/", views.my_calendar_reset, name="my_calendar_reset"),
    path("feed/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("my-agenda/", programme.my_agenda, name="my_agenda"),
    path("speakers/me/", programme.my_speaker_profile, name="my_speaker_profile"),
    path("speakers/<code:code>/", programme.speaker_detail, name="speaker_detail"),
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
    # the programme: pages, exports, sessions, speakers, the call and its proposals
    path("<slug:slug>/programme/", programme.programme, name="programme"),
    path("<slug:slug>/programme/tracks-and-rooms/", programme.tracks_rooms, name="tracks_rooms"),
    path("<slug:slug>/programme.css", programme.programme_css, name="programme_css"),
    path("<slug:slug>/schedule.json", programme.schedule_json, name="schedule_json"),
    path("<slug:slug>/schedule.xml", programme.schedule_xml_view, name="schedule_xml"),
    path("<slug:slug>/speakers/", programme.event_speakers, name="speakers"),
    path("<slug:slug>/sessions/<code:code>/", programme.session_short, name="session_short"),
    path("<slug:slug>/sessions/<code:code>-<slug:title>/", programme.session_detail, name="session_detail"),
    path("<slug:slug>/sessions/<code:code>/session.ics", programme.session_calendar, name="session_ics"),
    path("<slug:slug>/sessions/<code:code>/star/", programme.session_star, name="session_star"),
    path("<slug:slug>/call/", programme.call_detail, name="call"),
    path("<slug:slug>/call/edit/", programme.call_edit, name="call_edit"),
    path("<slug:slug>/call/propose/", programme.proposal_create, name="proposal_create"),
    path("<slug:slug>/proposals/", programme.proposal_list, name="proposals"),
    path("<slug:slug>/proposals/<int:pk>/", programme.proposal_detail, name="proposal_detail"),
    path("<slug:slug>/proposals/<int:pk>/edit/", programme.proposal_edit, name="proposal_edit"),
    path("<slug:slug>/proposals/<int:pk>/decide/", programme.proposal_decide, name="proposal_decide"),
    path("<slug:slug>/proposals/<int:pk>/place/", programme.proposal_place, name="proposal_place"),
]
