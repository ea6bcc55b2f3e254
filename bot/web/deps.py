"""What routes depend on: the database, who is signed in, their role, and the CSRF guard.

`signed_in` is the one place that scopes the request's database session to the staff member's
clinic (see bot.console.tenancy): a route cannot forget it, and another clinic's ids are 404.
Every request by the person counts as activity; the queue's own refresh does not. A request
whose session has ended sends the browser to sign in, keeping the form it carried (and the page
it came from) for after (bot.console.kept_forms).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert import actions
from bot.audit import service as audit
from bot.audit.models import AuditAction
from bot.clinic.models import Clinic
from bot.console import kept_forms, sessions
from bot.console.inputs import MAX_ID
from bot.console.models import ConsoleSession, SessionStage
from bot.console.sign_in import actor_for
from bot.console.tenancy import scope_to_clinic
from bot.services import Services
from bot.staff.models import Staff, StaffRole
from bot.web import security, session_ended
from bot.web.settings import WebSettings

T = TypeVar("T")
# The id of the element that polls the queue: its requests are not activity (see `signed_in`).
LIVE_ID = "live"


class SignInNeeded(Exception):
    """No live session: the browser is sent to the sign-in page (with a kept form's token)."""

    def __init__(self, kept: str | None = None, notice: str | None = None) -> None:
        super().__init__("sign in needed")
        self.kept = kept
        self.notice = notice


async def _ended(request: Request, db: AsyncSession, sent: str | None) -> SignInNeeded:
    """Sign in again, keeping what the request carried if its session ended (not forged)."""
    kept, notice = await session_ended.keep_what_was_sent(
        request, db, web=web_of(request), now=services_of(request).now(), sent=sent
    )
    return SignInNeeded(kept=kept, notice=notice)


class RequestRefused(Exception):
    """An unsafe request without the right origin or CSRF token."""


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def web_of(request: Request) -> WebSettings:
    web: WebSettings = request.app.state.web
    return web


def address_of(request: Request) -> str:
    """The client's address, from X-Forwarded-For only when a trusted proxy sent the request."""
    return security.client_address(
        request.client.host if request.client else None,
        request.headers.getlist("x-forwarded-for"),
        web_of(request).trusted_proxies,
    )


async def database(request: Request) -> AsyncIterator[AsyncSession]:
    async with services_of(request).sessionmaker() as db:
        yield db


Db = Annotated[AsyncSession, Depends(database)]


async def visit_session(request: Request, db: AsyncSession) -> ConsoleSession | None:
    """The live session this request's cookie names, if any (looked up once per request)."""
    if hasattr(request.state, "console_session"):
        found: ConsoleSession | None = request.state.console_session
        return found
    web = web_of(request)
    token = request.cookies.get(security.cookie_name(security.SESSION_COOKIE, web))
    now = services_of(request).now()
    row = await sessions.find(db, token=token, now=now, limits=web.session_limits)
    request.state.console_session = row
    return row


async def _sent_token(request: Request) -> str | None:
    sent = request.headers.get(security.CSRF_HEADER)
    if sent is not None:
        return sent
    kind = request.headers.get("content-type", "")
    if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(security.CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def guard_unsafe_requests(request: Request, db: Db) -> None:
    """Every route depends on this (set on the app): deny by default on unsafe methods."""
    if request.method in security.SAFE_METHODS:
        return
    web = web_of(request)
    if not security.same_origin(request, web):
        raise RequestRefused()
    row = await visit_session(request, db)
    expected = (
        row.csrf_token
        if row is not None
        else request.cookies.get(security.cookie_name(security.FORM_COOKIE, web))
    )
    sent = await _sent_token(request)
    if not security.tokens_match(sent, expected):
        if row is None and request.cookies.get(security.cookie_name(security.SESSION_COOKIE, web)):
            # A form from a session that has since ended: kept for after signing in again.
            raise await _ended(request, db, sent)
        raise RequestRefused()


@dataclass
class Console:
    """The signed-in staff member's request: who, which clinic, the scoped database, when."""

    staff: Staff
    clinic: Clinic
    session: ConsoleSession
    db: AsyncSession
    now: datetime
    address: str
    web: WebSettings

    @property
    def actor(self) -> audit.Actor:
        return actor_for(self.staff, self.address)

    @property
    def label(self) -> str:
        return self.actor.label

    @property
    def csrf(self) -> str:
        return self.session.csrf_token

    @property
    def is_admin(self) -> bool:
        return self.staff.role is StaffRole.clinic_admin

    @property
    def works_queues(self) -> bool:
        return self.staff.role in QUEUE_ROLES

    def audit(
        self, action: AuditAction, *, target: str | None = None, detail: str | None = None
    ) -> None:
        audit.record(
            self.db, actor=self.actor, action=action, now=self.now, target=target, detail=detail
        )

    async def get(self, kind: type[T], ident: int) -> T:
        """A row of this clinic, or 404 (another clinic's rows are invisible here)."""
        if not 0 <= ident <= MAX_ID:
            raise HTTPException(status_code=404)
        found = await self.db.get(kind, ident)
        if found is None:
            raise HTTPException(status_code=404)
        return found


async def signed_in(request: Request, db: Db) -> Console:
    row = await visit_session(request, db)
    if row is None and request.method in security.SAFE_METHODS:
        web = web_of(request)
        if request.cookies.get(security.cookie_name(security.SESSION_COOKIE, web)):
            raise await _ended(request, db, None)
    if row is None or row.stage != SessionStage.active.value:
        raise SignInNeeded()
    now = services_of(request).now()
    # The queue's live refresh is not activity: an unattended screen still times out.
    if request.headers.get("hx-trigger") != LIVE_ID:
        sessions.touch(row, now)
        if (
            row.kept_form_id is not None
            and request.method == "GET"
            and not session_ended.htmx(request)
        ):
            request.state.kept_form = await kept_forms.restore(
                db, session=row, path=request.url.path
            )
        await db.commit()
    staff: Staff = row.staff
    scope_to_clinic(db, staff.clinic_id)
    return Console(
        staff=staff,
        clinic=staff.clinic,
        session=row,
        db=db,
        now=now,
        address=address_of(request),
        web=web_of(request),
    )


# Who works the alert queue is the alert's own rule (bot/alert/actions.py).
QUEUE_ROLES = actions.QUEUE_ROLES


def require(
    *roles: StaffRole,
) -> Callable[[Console], Coroutine[Any, Any, Console]]:
    async def with_role(console: Annotated[Console, Depends(signed_in)]) -> Console:
        if console.staff.role not in roles:
            raise HTTPException(status_code=403)
        return console

    return with_role


AnyStaff = Annotated[Console, Depends(signed_in)]
DutyDesk = Annotated[Console, Depends(require(*QUEUE_ROLES))]
ClinicAdmin = Annotated[Console, Depends(require(StaffRole.clinic_admin))]
