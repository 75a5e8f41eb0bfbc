"""The REST API: ``/api/v1/`` (each app's endpoints), the OpenAPI schema and its documentation."""

from django.http import JsonResponse
from django.urls import include, is_valid_path, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from events import api as events_api
from newsletter import api as newsletter_api
from roles import api as roles_api
from tasks import api as tasks_api
from working_groups import api as working_groups_api


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up code served as a script file: the page's CSP stays strict."""

    template_name = "api/swagger_ui.html"
    title = "BigScience workshop portal API"


API_MODULES = (accounts_api, roles_api, working_groups_api, events_api, newsletter_api, tasks_api)


@csrf_exempt
def not_found(request):
    """Any other address under /api/ (a malformed id, say): a JSON 404 like the endpoints', not a page.

    It also answers addresses without their final slash, which Django would otherwise redirect
    (losing a POST's body, or failing loudly in debug mode): the message names the right one.
    """
    detail = "Not found."
    if not request.path.endswith("/") and is_valid_path(f"{request.path}/"):
        detail = f"Not found. API addresses end with a slash: {request.path}/"
    return JsonResponse({"detail": detail, "code": "not_found"}, status=404)


router = DefaultRouter()
for module in API_MODULES:
    for prefix, viewset, basename in module.ROUTES:
        router.register(prefix, viewset, basename=basename)
v1 = [url for module in API_MODULES for url in getattr(module, "URLS", [])] + router.urls

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^.*$", not_found, name="api-not-found"),
]
