"""Taps on the client's buttons: parse the data, answer the tap, call one domain action.

Each action runs in a transaction whose outbox rows (the reply, and the tapped message's buttons
removed or replaced) leave as it commits. A forged or stale tap gets a quiet answer and nothing
else.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, Update
from telegram.ext import CallbackQueryHandler

from bot import button_data
from bot.client import service as clients
from bot.client.models import Client
from bot.conversation import (
    checkin_taps,
    commands,
    crisis_walk,
    joining,
    offers,
    question,
    screener_taps,
)
from bot.conversation.meanings import answer_chosen_meaning
from bot.outbox import service as outbox
from bot.outbox.models import Buttons
from bot.telegram.context import AppContext
from bot.telegram.keyboards import answer_quietly

Pressed = TypeVar("Pressed")


def _pressed(update: Update, kind: type[Pressed]) -> tuple[CallbackQuery, Pressed | None]:
    query = update.callback_query
    assert query is not None
    pressed = button_data.parse(query.data)
    return query, pressed if isinstance(pressed, kind) else None


@contextlib.asynccontextmanager
async def _as_client(
    context: AppContext, query: CallbackQuery, buttons: Buttons | None = None
) -> AsyncIterator[tuple[AsyncSession, Client]]:
    """The tapping client, fresh, in a transaction that also removes (or replaces) the tapped
    message's buttons."""
    assert context.client is not None
    services = context.services
    async with services.writing() as session:
        client = await clients.get(session, client_id=context.client.id)
        message = query.message
        if message is not None and client.chat_id is not None:
            outbox.edit_buttons(
                session,
                chat_id=client.chat_id,
                message_id=message.message_id,
                buttons=buttons,
                client_id=client.id,
                now=services.now(),
            )
        yield session, client


async def on_consent(update: Update, context: AppContext) -> None:
    """The client taps "I agree" or "Not now" under the notice."""
    query, pressed = _pressed(update, button_data.Consent)
    await answer_quietly(query)
    if pressed is None or update.effective_chat is None:
        return
    chat_id, services = update.effective_chat.id, context.services
    async with services.writing() as session:
        if query.message is not None:
            outbox.edit_buttons(
                session, chat_id=chat_id, message_id=query.message.message_id, now=services.now()
            )
        user = update.effective_user
        await joining.answer_consent(
            session,
            chat_id=chat_id,
            invite_id=pressed.invite_id,
            agree=pressed.agree,
            now=services.now(),
            language_code=user.language_code if user is not None else None,
        )


async def _answered_tap(
    update: Update,
    context: AppContext,
    kind: type[Pressed],
    tap: Callable[[AsyncSession, Client, Pressed, datetime], Awaitable[checkin_taps.Tapped]],
) -> None:
    """Saved and answered in one transaction; the toast answers the tap, the message's buttons
    show the new state."""
    query, pressed = _pressed(update, kind)
    if pressed is None or context.client is None:
        await answer_quietly(query)
        return
    services = context.services
    async with services.writing() as session:
        client = await clients.get(session, client_id=context.client.id)
        tapped = await tap(session, client, pressed, services.now())
        if query.message is not None and client.chat_id is not None:
            outbox.edit_buttons(
                session,
                chat_id=client.chat_id,
                message_id=query.message.message_id,
                buttons=tapped.buttons,
                client_id=client.id,
                now=services.now(),
            )
    await answer_quietly(query, tapped.toast)


async def on_checkin(update: Update, context: AppContext) -> None:
    """A check-in button: mood, a warning sign, Done, None of these, Skip."""
    await _answered_tap(
        update,
        context,
        button_data.CheckinTap,
        lambda s, c, p, now: checkin_taps.tap(
            s, c, checkin_id=p.checkin_id, action=p.action, value=p.value, now=now
        ),
    )


async def on_screener(update: Update, context: AppContext) -> None:
    """An answer to a screener's question, or "Not now"."""
    await _answered_tap(
        update,
        context,
        button_data.ScreenerTap,
        lambda s, c, p, now: screener_taps.tap(
            s, c, administration_id=p.administration_id, item=p.item, value=p.answer, now=now
        ),
    )


Act = Callable[[AsyncSession, Client, Any, AppContext], Awaitable[object]]


def _client_tap(
    kinds: type | tuple[type, ...], act: Act
) -> Callable[[Update, AppContext], Coroutine[Any, Any, None]]:
    """A handler for a client's button: the tap answered at once, then `act` with the fresh
    client in a transaction that also removes the tapped message's buttons."""

    async def handle(update: Update, context: AppContext) -> None:
        query = update.callback_query
        assert query is not None
        pressed = button_data.parse(query.data)
        await answer_quietly(query)
        if not isinstance(pressed, kinds) or context.client is None:
            return
        async with _as_client(context, query) as (session, client):
            await act(session, client, pressed, context)

    return handle


def _now(context: AppContext) -> datetime:
    return context.services.now()


# "That helped", "Next", or whether to tell the clinic, under a step of their plan.
on_crisis_step = _client_tap(
    button_data.CrisisStep,
    lambda s, c, p, x: crisis_walk.answer_step(
        s, c, step_id=p.step_id, response=p.response, now=_now(x)
    ),
)
# Yes, No I'm OK, or I'd rather not say, under the direct question.
on_question = _client_tap(
    button_data.QuestionAnswer,
    lambda s, c, p, x: question.answer(
        s, c, question_id=p.question_id, choice=p.choice, now=_now(x)
    ),
)
# What the client meant, after a message the bot was unsure about.
on_meaning = _client_tap(
    button_data.Meaning, lambda s, c, p, x: answer_chosen_meaning(s, c, p.intent, _now(x))
)
# The pause offer or a time-window button.
on_offer = _client_tap(
    (button_data.Pause, button_data.Window, button_data.Language),
    lambda s, c, p, x: offers.answer(s, c, p, _now(x)),
)
# The client confirms or cancels /stop.
on_stop = _client_tap(
    button_data.Stop,
    lambda s, c, p, x: commands.answer_stop(s, x.services, c, yes=p.yes, now=_now(x)),
)
# Yes once (asked again), yes twice (erased), or cancel.
on_delete = _client_tap(
    button_data.Delete, lambda s, c, p, x: commands.answer_delete(s, c, step=p.step, now=_now(x))
)


def handlers() -> list[CallbackQueryHandler[Any, Any]]:
    """One handler per button prefix; the codec owns the prefixes."""
    return [
        CallbackQueryHandler(on_consent, pattern=f"^{button_data.CONSENT}:"),
        CallbackQueryHandler(on_checkin, pattern=f"^{button_data.CHECKIN}:"),
        CallbackQueryHandler(on_screener, pattern=f"^{button_data.SCREENER}:"),
        CallbackQueryHandler(on_crisis_step, pattern=f"^{button_data.CRISIS}:"),
        CallbackQueryHandler(on_question, pattern=f"^{button_data.QUESTION}:"),
        CallbackQueryHandler(on_meaning, pattern=f"^{button_data.MEANING}:"),
        CallbackQueryHandler(on_offer, pattern=f"^{button_data.PREFERENCE}:"),
        CallbackQueryHandler(on_stop, pattern=f"^{button_data.STOP}:"),
        CallbackQueryHandler(on_delete, pattern=f"^{button_data.DELETE}:"),
    ]
