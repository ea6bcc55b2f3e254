"""The policy's fallback when handling a message failed for a reason that is not passing: the
crisis resources first if the words may mean danger, an honest apology, and a needs-review alert
so a person reads the chat. Through the outbox when the database answers; sent directly (through
the port the adapter hands in) when it does not.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import NamedTuple

from bot.client import service as clients
from bot.client.models import Client
from bot.config import Settings
from bot.escalation import apply
from bot.escalation.crisis_replies import resources_text as clinic_resources_text
from bot.outbox import service as outbox
from bot.outbox.models import Lane, Purpose
from bot.policy.decide import decide_failure
from bot.services import Services
from bot.texts import errors as text
from bot.texts.translation import translator, translator_for

logger = logging.getLogger(__name__)

SendNow = Callable[[int, str], Awaitable[None]]


class ClinicCopy(NamedTuple):
    """What the process keeps of a chat's clinic, for when the database does not answer."""

    emergency: str
    crisis: str
    language: str | None = None


def copy_of(client: Client) -> ClinicCopy:
    clinic = client.clinic
    return ClinicCopy(
        clinic.emergency_number,
        clinic.resources_in(translator_for(client).language),
        translator_for(client).language,
    )


def resources_text(settings: Settings, copy: ClinicCopy | None) -> str:
    """The clinic's resources from the process's copy, or the deployment's default."""
    copy = copy or ClinicCopy(settings.default_emergency_number, settings.default_crisis_resources)
    return clinic_resources_text(copy.emergency, copy.crisis, translator(copy.language))


async def handling_failed(
    services: Services,
    *,
    chat_id: int,
    danger: bool,
    copy: ClinicCopy | None,
    send_now: SendNow,
) -> None:
    now = services.now()
    t = translator(copy.language if copy else None)
    try:
        async with services.sessionmaker.begin() as session:
            client = await clients.get_by_chat(session, chat_id=chat_id)
            if client is not None:
                copy, t = copy_of(client), translator_for(client)
            purpose = Purpose.crisis_resources if client is not None else Purpose.stranger
            client_id = client.id if client is not None else None
            if danger:
                outbox.enqueue(
                    session,
                    lane=Lane.crisis,
                    purpose=purpose,
                    chat_id=chat_id,
                    client_id=client_id,
                    text=resources_text(services.settings, copy),
                    now=now,
                )
            outbox.enqueue(
                session,
                lane=Lane.crisis if danger else Lane.reply,
                purpose=Purpose.reply if client is not None else Purpose.stranger,
                chat_id=chat_id,
                client_id=client_id,
                text=t(text.SORRY),
                now=now,
            )
            if client is not None:
                await apply.raise_for(
                    session,
                    client,
                    decide_failure(database_unavailable=False),
                    evidence="handling a message failed; please read the chat with the client",
                    now=now,
                )
    except Exception:  # the database failed too: the words must still reach the client
        logger.exception("could not queue the fallback for chat %s; sending it directly", chat_id)
        if danger:
            await send_now(chat_id, resources_text(services.settings, copy))
        await send_now(chat_id, t(text.SORRY))
