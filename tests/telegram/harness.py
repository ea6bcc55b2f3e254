"""A running product (real PTB Application + clock) against the fake Bot API, and client helpers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.checkin.models import Checkin, CheckinKind
from bot.client import invite as invites
from bot.client.models import Client, ClientStatus
from bot.runtime import Runtime
from bot.services import Services
from tests.factories import make_client, make_clinic, make_therapist
from tests.support.fake_bot_api import FakeBotApi
from tests.support.recording import Call


@dataclass
class Harness:
    fake: FakeBotApi
    services: Services
    runtime: Runtime

    async def enroll(self, name: str = "Sam", **options: Any) -> tuple[Client, str]:
        """An invited client and a fresh invite code."""
        now = self.services.now()
        async with self.services.sessionmaker.begin() as session:
            clinic = await session.scalar(select_clinic()) or await make_clinic(session)
            therapist = await make_therapist(session, clinic)
            client = await make_client(session, therapist=therapist, now=now, name=name, **options)
            code, _ = await invites.create_invite(session, client=client, now=now, valid_days=14)
        return client, code

    async def join(self, chat_id: int, name: str = "Sam", **options: Any) -> Client:
        """Enroll, open the invite link and agree: an active client linked to `chat_id`."""
        client, code = await self.enroll(name, **options)
        self.fake.push_text(chat_id, f"/start {code}")
        notice = await self.last_with_buttons(chat_id)
        self.fake.push_callback(chat_id, notice.result["message_id"], button_data(notice, 0))
        await self.fake.wait_for_call("sendMessage", chat_id, text_contains="Welcome")
        return await self.client(client.id)

    async def link_staff_group(self, group_id: int) -> None:
        """The clinic's staff group, as if an admin had sent /link there."""
        from bot.clinic.models import Clinic

        async with self.services.sessionmaker.begin() as session:
            clinic = await session.scalar(select(Clinic).limit(1))
            assert clinic is not None
            clinic.staff_chat_id = group_id

    async def crisis_lines(self, *lines: tuple[str, str, str]) -> None:
        """The clinic's crisis lines as entries: (name, number, languages), answering 24/7."""
        from bot.clinic.models import Clinic
        from bot.console import crisis_resources

        now = self.services.now()
        async with self.services.sessionmaker.begin() as session:
            clinic = await session.scalar(select(Clinic).limit(1))
            assert clinic is not None
            for name, number, languages in lines:
                entry = crisis_resources.check(
                    name,
                    number,
                    "24/7",
                    now.date().isoformat(),
                    today=now.date(),
                    languages=languages,
                )
                await crisis_resources.add(session, clinic=clinic, entry=entry, now=now)

    async def client(self, client_id: int) -> Client:
        async with self.services.sessionmaker() as session:
            found = await session.get(Client, client_id)
            assert found is not None
            return found

    async def checkins(self, client_id: int) -> list[Checkin]:
        async with self.services.sessionmaker() as session:
            rows = await session.scalars(
                select(Checkin).where(Checkin.client_id == client_id).order_by(Checkin.due_at)
            )
            return list(rows)

    async def send_now(self, client_id: int) -> Checkin:
        """A manual check-in due now; the running clock dispatches it."""
        async with self.services.sessionmaker.begin() as session:
            checkin = Checkin(
                client_id=client_id, due_at=datetime.now(UTC), kind=CheckinKind.manual
            )
            session.add(checkin)
        return checkin

    async def last_with_buttons(self, chat_id: int, after: int = 0) -> Call:
        """The newest accepted sendMessage to `chat_id` that carries inline buttons."""

        def found() -> list[Call]:
            return [
                c
                for c in self.fake.calls_to("sendMessage", chat_id)[after:]
                if c.ok and (c.params.get("reply_markup") or {}).get("inline_keyboard")
            ]

        await self.fake.wait_for(lambda: bool(found()), what=f"buttons sent to {chat_id}")
        return found()[-1]

    async def eventually(
        self, check: Callable[[], Awaitable[bool]], what: str, within: float = 5.0
    ) -> None:
        """Wait until an async database check holds (the bot commits after it replies)."""
        deadline = asyncio.get_running_loop().time() + within
        while not await check():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out after {within}s waiting for {what}")
            await asyncio.sleep(0.05)

    async def status_is(self, client_id: int, status: ClientStatus) -> None:
        async def check() -> bool:
            return (await self.client(client_id)).status == status

        await self.eventually(check, f"client {client_id} to be {status.value}")

    def texts(self, chat_id: int) -> list[str]:
        return self.fake.sent_texts(chat_id)

    def sent_count(self, chat_id: int) -> int:
        return len(self.fake.calls_to("sendMessage", chat_id))


def select_clinic():  # type: ignore[no-untyped-def]
    from bot.clinic.models import Clinic

    return select(Clinic).limit(1)


def buttons(call: Call) -> list[dict[str, Any]]:
    markup = call.params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def button_data(call: Call, index: int) -> str:
    return str(buttons(call)[index]["callback_data"])


def button_with(call: Call, label_part: str) -> str:
    for button in buttons(call):
        if label_part in button["text"]:
            return str(button["callback_data"])
    raise AssertionError(f"no button with {label_part!r} in {buttons(call)}")
