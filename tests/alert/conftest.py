"""A clinic with a therapist, an admin and a client; a notifier that records what staff saw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.alert.delivery import AlertView, NotifyError, StaffContact
from bot.database.core import SessionMaker
from bot.staff import service as staff_service
from tests.factories import make_client, make_clinic, make_therapist
from tests.support import clock

NOW = clock.now()


@dataclass
class World:
    clinic_id: int
    therapist_id: int
    admin_id: int
    client_id: int


class RecordingNotifier:
    """Stands in for Telegram at the domain boundary: records each call, can be told to fail."""

    def __init__(self) -> None:
        self.announced: list[AlertView] = []
        self.updated: list[AlertView] = []
        self.reminded: list[tuple[AlertView, timedelta]] = []
        self.escalated: list[tuple[AlertView, list[StaffContact]]] = []
        self.failing: set[str] = set()
        self._next_message_id = 500

    def _maybe_fail(self, method: str) -> None:
        if method in self.failing:
            raise NotifyError(f"{method} refused")

    async def announce(self, view: AlertView) -> int | None:
        self._maybe_fail("announce")
        self.announced.append(view)
        self._next_message_id += 1
        return self._next_message_id

    async def remind(self, view: AlertView, overdue_by: timedelta) -> None:
        self._maybe_fail("remind")
        self.reminded.append((view, overdue_by))

    async def escalate(self, view: AlertView, admins: list[StaffContact]) -> None:
        self._maybe_fail("escalate")
        self.escalated.append((view, admins))

    async def update(self, view: AlertView) -> None:
        self._maybe_fail("update")
        self.updated.append(view)


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


async def build_world(
    sessionmaker: SessionMaker, *, group: int | None = -1001, linked: bool = True
) -> World:
    """Riverside Clinic; therapist (Telegram 7001) and admin (7002) unless not `linked`."""
    async with sessionmaker.begin() as session:
        clinic = await make_clinic(session)
        clinic.staff_chat_id = group
        therapist = await make_therapist(session, clinic)
        therapist.telegram_user_id = 7001 if linked else None
        admin = await staff_service.create(
            session, clinic=clinic, name="Jo Admin", role="clinic_admin"
        )
        admin.telegram_user_id = 7002 if linked else None
        client = await make_client(session, therapist=therapist, now=NOW, name="Sam Jones")
        return World(clinic.id, therapist.id, admin.id, client.id)


@pytest.fixture
async def world(sessionmaker: SessionMaker) -> World:
    return await build_world(sessionmaker)
