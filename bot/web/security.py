"""Response headers, cookies, the check every unsafe request must pass, and who is asking.

Unsafe methods are refused by default: the request must come from the console's own origin
(Origin, or Sec-Fetch-Site: same-origin) and carry the session's CSRF token (or, before
sign-in, the form cookie's), in the form or the X-CSRF-Token header htmx sends.

The client's address is the socket's peer, unless that peer is one of WEB_TRUSTED_PROXIES: then
it is read from X-Forwarded-For, right to left, skipping the trusted proxies, so the first hop a
trusted proxy vouches for is the client. Only X-Forwarded-For is read, never Forwarded as well: a
proxy that sets one passes the other through from the client untouched.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.web.settings import Network, WebSettings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SESSION_COOKIE = "aftercare_session"
FORM_COOKIE = "aftercare_form"
# Names a form kept while its session had ended (bot.console.kept_forms).
KEPT_COOKIE = "aftercare_kept"
# Pages a kept form must never send anyone back to.
NOT_RETURNED_TO = ("/sign-in", "/sign-out", "/invite/", "/static/", "/healthz")

CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    # Invite links carry their code in the path: never send it on to another site. (Not
    # no-referrer: browsers then send "Origin: null", which the origin check must refuse.)
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class SecurityHeaders:
    """Adds the headers above to every response; pages (not static files) are never cached."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])]
                present = {k.decode("latin-1").lower() for k, _ in headers}
                extra = dict(HEADERS)
                extra["cache-control"] = "public, max-age=3600" if static else "no-store"
                if self.hsts:
                    extra["strict-transport-security"] = "max-age=31536000"
                for name, value in extra.items():
                    if name not in present:
                        headers.append((name.encode("latin-1"), value.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def cookie_name(base: str, web: WebSettings) -> str:
    return f"__Host-{base}" if web.secure else base


def set_cookie(response: Response, base: str, value: str, web: WebSettings) -> None:
    """A browser-session cookie (no Max-Age): the server enforces the idle and absolute limits."""
    response.set_cookie(
        cookie_name(base, web),
        value,
        path="/",
        httponly=True,
        samesite="lax",
        secure=web.secure,
    )


def clear_cookie(response: Response, base: str, web: WebSettings) -> None:
    response.delete_cookie(
        cookie_name(base, web), path="/", httponly=True, samesite="lax", secure=web.secure
    )


def new_form_token() -> str:
    return secrets.token_urlsafe(32)


def same_origin(request: Request, web: WebSettings) -> bool:
    """The browser says the request comes from a page of this console."""
    origin = request.headers.get("origin")
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    if origin is not None:
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        return origin in (web.public_origin, own)
    return site == "same-origin"


def tokens_match(sent: str | None, expected: str | None) -> bool:
    if not sent or not expected:
        return False
    return hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("["):  # "[2001:db8::1]" or "[2001:db8::1]:443"
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":", 1)[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def _trusted(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: Sequence[Network]) -> bool:
    return any(ip.version == net.version and ip in net for net in proxies)


def client_address(peer: str | None, forwarded_for: list[str], proxies: Sequence[Network]) -> str:
    """The client's address: the peer, or what trusted proxies say in X-Forwarded-For."""
    if peer is None:
        return "unknown"
    nearest = _ip(peer)
    if nearest is None or not _trusted(nearest, proxies):
        return peer
    hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:
            break  # a trusted proxy wrote something that is no address: go no further
        if not _trusted(ip, proxies):
            return str(ip)
        nearest = ip
    return str(nearest)


def page_to_return_to(url: str | None, request: Request, web: WebSettings) -> str | None:
    """The path (and query) of `url` if it is a page of this console; None for anything else."""
    if not url:
        return None
    parts = urlsplit(url)
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if f"{parts.scheme}://{parts.netloc}" not in (web.public_origin, own):
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None
    if path.startswith(NOT_RETURNED_TO):
        return None
    return path + (f"?{parts.query}" if parts.query else "")
