"""The console over httpx's ASGITransport: browsers signed in as each role of two clinics."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from bot.console import sessions
from bot.console.models import SessionStage
from bot.services import Services
from bot.staff.models import Staff
from bot.web.app import create_app
from bot.web.settings import WebSettings
from tests.web.world import ClinicWorld, build_clinic

ORIGIN = "http://console.test"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def web_settings() -> WebSettings:
    return WebSettings(_env_file=None, web_public_url=ORIGIN)  # type: ignore[call-arg]


@pytest.fixture
def app(services: Services, web_settings: WebSettings) -> FastAPI:
    return create_app(services, web_settings)


@dataclass
class Worlds:
    home: ClinicWorld
    foreign: ClinicWorld


@pytest.fixture
async def worlds(services: Services) -> Worlds:
    now = services.now()
    home = await build_clinic(
        services.sessionmaker,
        name="Riverside Clinic",
        domain="riverside.test",
        now=now,
        group=-1001,
    )
    foreign = await build_clinic(
        services.sessionmaker, name="Hillside Clinic", domain="hillside.test", now=now, group=-1002
    )
    return Worlds(home, foreign)


class Browser:
    """An httpx client that behaves like a browser on the console's own pages."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.http = client
        self.csrf: str | None = None

    async def get(self, path: str, **kwargs: object) -> httpx.Response:
        response = await self.http.get(path, **kwargs)  # type: ignore[arg-type]
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    async def post(
        self, path: str, data: dict[str, str] | None = None, *, csrf: str | None = None
    ) -> httpx.Response:
        """A form post from one of the console's pages (same origin, the page's token)."""
        form = {"csrf_token": csrf if csrf is not None else self.csrf or "", **(data or {})}
        return await self.http.post(path, data=form, headers={"origin": ORIGIN})

    async def sign_in(self, email: str, password: str) -> httpx.Response:
        await self.get("/sign-in")
        return await self.post("/sign-in", {"email": email, "password": password})


@pytest.fixture
async def browser(app: FastAPI) -> AsyncIterator[Browser]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("203.0.113.7", 50000)), base_url=ORIGIN
    ) as client:
        yield Browser(client)


class Browsers:
    """Opens a browser signed in as any staff member, without the (slow) password step."""

    def __init__(self, app: FastAPI, services: Services, web: WebSettings) -> None:
        self.app, self.services, self.web = app, services, web
        self.opened: list[httpx.AsyncClient] = []

    async def signed_in(self, staff_id: int) -> Browser:
        async with self.services.sessionmaker.begin() as session:
            staff = await session.get(Staff, staff_id)
            assert staff is not None
            token, row = sessions.start(
                session,
                staff=staff,
                stage=SessionStage.active,
                now=self.services.now(),
                limits=self.web.session_limits,
                address="203.0.113.7",
            )
            csrf = row.csrf_token
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app, client=("203.0.113.7", 50000)),
            base_url=ORIGIN,
            cookies={"aftercare_session": token},
        )
        self.opened.append(client)
        browser = Browser(client)
        browser.csrf = csrf
        return browser

    async def aclose(self) -> None:
        for client in self.opened:
            await client.aclose()


@pytest.fixture
async def browsers(
    app: FastAPI, services: Services, web_settings: WebSettings
) -> AsyncIterator[Browsers]:
    opened = Browsers(app, services, web_settings)
    yield opened
    await opened.aclose()
