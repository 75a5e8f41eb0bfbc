"""The OpenAPI schema is valid and complete; the documentation page needs no CDN and no inline code."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import get_resolver

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_validates_without_a_warning(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert yaml.safe_load(target.read_text())["openapi"].startswith("3.")


def _api_routes() -> set[str]:
    """Every /api/v1/ route the URL configuration answers, in the schema's {param} notation."""
    routes = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            else:
                routes.add(route)

    walk(get_resolver().url_patterns, "/")
    api = set()
    for route in routes:
        if not route.startswith("/api/v1/") or "format" in route or route in ("/api/v1/", "/api/v1/^$"):
            continue
        clean = route.replace("^", "").replace("$", "").replace("\\.", ".")
        clean = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", clean).replace("{pk}", "{id}")  # the schema says id
        if clean != "/api/v1/":
            api.add(clean)
    return api


def test_schema_describes_every_api_route(schema):
    assert _api_routes() == set(schema["paths"])


def test_every_operation_documents_its_errors(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "429"} <= codes, (method, path)
            if method in {"post", "patch", "put", "delete"}:
                assert {"400", "403", "409"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            assert operation.get("summary"), (method, path)


def test_schema_documents_both_ways_to_authenticate(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["personalToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["personalToken"]["description"],
    }
    assert schemes["cookieAuth"]["in"] == "cookie"


def test_schema_is_served(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/v1/events/" in response.json()["paths"]


def test_docs_page_loads_without_cdn_or_inline_code(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html and "style=" not in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources
    for source in sources:
        answer = client.get(source)
        assert answer.status_code == 200, source


def test_docs_initializer_is_a_script_file_pointing_at_the_schema(client):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()
