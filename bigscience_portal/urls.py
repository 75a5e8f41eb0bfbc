from django.contrib import admin
from django.urls import include, path

from accounts.views import set_language
from roles.views import my_participation

from . import views

admin.site.site_header = "BigScience workshop portal"
admin.site.site_title = "BigScience admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("search/", views.search, name="search"),
    path("language/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("me/participation/", my_participation, name="my_participation"),
    path("me/", include("accounts.urls")),
    path("roles/", include("roles.urls")),
    path("groups/", include("working_groups.urls")),
    path("events/", include("events.urls")),
    path("news/", include("newsletter.urls")),
    path("tasks/", include("tasks.urls")),
    path("", include("credit.urls")),  # outputs/ and credits/
    path("api/", include("bigscience_portal.api_urls")),
    path("admin/login/", views.admin_login),  # before the admin's own: allauth's limits apply
    path("admin/", admin.site.urls),
]

handler400 = "bigscience_portal.views.error_400"
handler403 = "bigscience_portal.views.error_403"
handler404 = "bigscience_portal.views.error_404"
handler500 = "bigscience_portal.views.error_500"
