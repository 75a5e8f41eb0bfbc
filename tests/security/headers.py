"""What every HTML page must say about itself: HSTS, a strict CSP, nosniff, a referrer policy."""

PRODUCTION_LIKE = {
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}
REQUIRED_CSP = {"object-src": "'none'", "base-uri": "'none'", "frame-ancestors": "'none'"}


def csp_directives(response) -> dict:
    header = response.get("Content-Security-Policy", "")
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


# The newsletter's e-mail preview is e-mail HTML (inline styles) in a frame of the organizers' page:
# its own CSP sandboxes it and allows nothing else to load, so no script can run in it.
SANDBOXED_PAGES = {"newsletter:issue_preview_html"}


def sandbox_problems(response) -> list[str]:
    directives = csp_directives(response)
    expected = {"sandbox": "", "default-src": "'none'", "frame-ancestors": "'self'"}
    problems = [
        f"CSP {name} is {directives.get(name)!r}" for name, value in expected.items() if directives.get(name) != value
    ]
    if "script-src" in directives or "unsafe-eval" in str(directives):
        problems.append("the sandboxed page may run script")
    return problems


def header_problems(response) -> list[str]:
    """What is missing or weak in one HTML response's security headers (empty when all is well)."""
    problems = []
    if "max-age=31536000" not in response.get("Strict-Transport-Security", ""):
        problems.append("no HSTS")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if not response.get("Referrer-Policy"):
        problems.append("no referrer policy")
    directives = csp_directives(response)
    if not directives:
        problems.append("no CSP")
    for name, value in REQUIRED_CSP.items():
        if directives.get(name) != value:
            problems.append(f"CSP {name} is {directives.get(name)!r}")
    for name, value in directives.items():
        if "unsafe-inline" in value or "unsafe-eval" in value:
            problems.append(f"CSP {name} allows {value}")
    return problems


def cache_directives(response) -> set[str]:
    """The names of the ``Cache-Control`` directives: ``{"private", "no-cache"}``."""
    return {part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def shared_cache_problem(response) -> str | None:
    """What a shared cache could keep of a signed-in person's page: its ``Cache-Control``, else None."""
    directives = cache_directives(response)
    if "public" in directives or not directives & {"private", "no-store"}:
        return response.get("Cache-Control", "")
    return None
