"""Resolve the key pages against a database, count each one's queries, and open sessions for wrk.

``python -m bench.probe [--sessions]`` prints one JSON line: for every page the path measured,
its status, the queries of a cold request (cache cleared) and of a warm one, the size; with
``--sessions``, a session cookie for each known account so wrk can load signed-in pages.
Runs with the production settings (debug off) through Django's test client.
"""

import argparse
import json
import os

from .pages import BASELINE, PAGES, Page


def objects() -> dict:
    """The group, the event, the task and the output the single-object pages show: the biggest of each."""
    from django.apps import apps
    from django.db.models import Count

    from events.models import Event
    from working_groups.models import WorkingGroup

    from .generate import get_model

    group = WorkingGroup.objects.filter(slug="group-00").first() or WorkingGroup.objects.first()
    event = Event.objects.annotate(n=Count("registrations")).order_by("-n", "start").first()
    task_model = apps.get_model("tasks", "Task") if apps.is_installed("tasks") else None
    task = task_model.objects.filter(status="open").order_by("-accepted_items", "pk").first() if task_model else None
    Output = get_model("credit.Output")
    output = Output.objects.filter(slug="bench-paper").first() if Output is not None else None
    return {
        "group": group.slug if group else None,
        "event": event.slug if event else None,
        "task": task.pk if task else None,
        "output": output.slug if output else None,
    }


def candidate_path(candidate: str, page: Page, objs: dict) -> str | None:
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    if candidate.startswith("/"):
        try:
            resolve(candidate)
        except Resolver404:
            return None
        return candidate
    try:
        return reverse(candidate, args=[objs[page.obj]] if page.obj else [])
    except NoReverseMatch:
        return None


def clients() -> dict:
    from django.test import Client

    from accounts.models import User

    from .generate import KNOWN

    made = {None: Client(raise_request_exception=False)}
    for key, email in KNOWN.items():
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(email=email))
        made[key] = client
    return made


def measure(client, path: str) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        response = client.get(path, secure=True)
    with CaptureQueriesContext(connection) as warm:
        client.get(path, secure=True)
    return {
        "path": path,
        "status": response.status_code,
        "queries": len(cold.captured_queries),
        "queries_cached": len(warm.captured_queries),
        "bytes": len(response.content),
    }


def probe_page(page: Page, objs: dict, made: dict) -> dict:
    tried = []
    for candidate in page.candidates:
        path = candidate_path(candidate, page, objs)
        if path is None:
            continue
        result = measure(made[page.user], path)
        if result["status"] == 200:
            return {"label": page.label, **result}
        tried.append(f"{path} → {result['status']}")
    return {"label": page.label, "path": None, "status": None, "missing": "; ".join(tried) or "no such URL yet"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", action="store_true", help="also print session cookies for wrk")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bigscience_portal.settings")
    import django

    django.setup()
    objs, made = objects(), clients()
    results = [probe_page(page, objs, made) for page in [BASELINE, *PAGES]]
    out = {"objects": objs, "pages": results}
    if args.sessions:
        out["cookies"] = {str(k): c.cookies["sessionid"].value for k, c in made.items() if k}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
