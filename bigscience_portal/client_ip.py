"""The client's network address, for per-address limits (sign-in, sign-up, the API).

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only when the
connection comes from one of ``TRUSTED_PROXIES`` (addresses or networks of the TLS proxy). Then the
client is the right-most address in the header that is not itself a trusted proxy. A request that
reaches the application directly (gunicorn exposed by mistake) is counted by its own address,
whatever header it forges.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted_proxy(text: str) -> bool:
    address = _address(text)
    return address is not None and any(address in net for net in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The address limits should count: the connection's, or the proxy's report of its client."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not is_trusted_proxy(remote):
        return remote
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if _address(hop) is None:
            return remote  # a malformed report: count the proxy rather than believe it
        if not is_trusted_proxy(hop):
            return str(_address(hop))
    return remote
