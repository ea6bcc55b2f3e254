"""Taps on the client's buttons: parse the data, answer the tap, call one domain action.

Each action runs in a transaction whose outbox rows (the reply, and the tapped message's buttons
removed or replaced) leave as it commits. A forged or stale tap gets a quiet answer and nothing
else.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, Update
from telegram.ext import CallbackQueryHandler

from bot import callbacks
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
    pressed = callbacks.parse(query.data)
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
    query, pressed = _pressed(update, callbacks.Consent)
    await answer_quietly(query)
    if pressed is None or update.effective_chat is None:
        return
    chat_id, services = update.effective_chat.id, context.services
    async with services.writing() as session:
        if query.message is not None:
            outbox.edit_buttons(
                session, chat_id=chat_id, message_id=query.message.message_id, now=services.now()
            )
        await joining.answer_consent(
            session,
            chat_id=chat_id,
            invite_id=pressed.invite_id,
            agree=pressed.agree,
            now=services.now(),
        )


async def on_checkin(update: Update, context: AppContext) -> None:
    """A check-in button: saved, weighed and answered in one transaction."""
    query, pressed = _pressed(update, callbacks.CheckinTap)
    if pressed is None or context.client is None:
        await answer_quietly(query)
        return
    services = context.services
    async with services.writing() as session:
        client = await clients.get(session, client_id=context.client.id)
        tapped = await checkin_taps.tap(
            session,
            client,
            checkin_id=pressed.checkin_id,
            action=pressed.action,
            value=pressed.value,
            now=services.now(),
        )
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


async def on_screener(update: Update, context: AppContext) -> None:
    """An answer to a screener's question, or "Not now": saved and answered in one transaction."""
    query, pressed = _pressed(update, callbacks.ScreenerTap)
    if pressed is None or context.client is None:
        await answer_quietly(query)
        return
    services = context.services
    async with services.writing() as session:
        client = await clients.get(session, client_id=context.client.id)
        tapped = await screener_taps.tap(
            session,
            client,
            administration_id=pressed.administration_id,
            item=pressed.item,
            value=pressed.answer,
            now=services.now(),
        )
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


async def on_crisis_step(update: Update, context: AppContext) -> None:
    """ "That helped", "Next", or whether to tell the clinic, under a step of their plan."""
    query, pressed = _pressed(update, callbacks.CrisisStep)
    await answer_quietly(query)
    if pressed is None or context.client is None:
        return
    async with _as_client(context, query) as (session, client):
        await crisis_walk.answer_step(
            session,
            client,
            step_id=pressed.step_id,
            response=pressed.response,
            now=context.services.now(),
        )


async def on_question(update: Update, context: AppContext) -> None:
    """Yes, No I'm OK, or I'd rather not say, under the direct question."""
    query, pressed = _pressed(update, callbacks.QuestionAnswer)
    await answer_quietly(query)
    if pressed is None or context.client is None:
        return
    async with _as_client(context, query) as (session, client):
        await question.answer(
            session,
            client,
            question_id=pressed.question_id,
            choice=pressed.choice,
            now=context.services.now(),
        )


async def on_meaning(update: Update, context: AppContext) -> None:
    """What the client meant, after a message the bot was unsure about."""
    query, pressed = _pressed(update, callbacks.Meaning)
    await answer_quietly(query)
    if pressed is None or context.client is None:
        return
    async with _as_client(context, query) as (session, client):
        await answer_chosen_meaning(session, client, pressed.intent, context.services.now())


async def on_offer(update: Update, context: AppContext) -> None:
    """The pause offer or a time-window button."""
    query = update.callback_query
    assert query is not None
    pressed = callbacks.parse(query.data)
    await answer_quietly(query)
    if not isinstance(pressed, callbacks.Pause | callbacks.Window) or context.client is None:
        return
    async with _as_client(context, query) as (session, client):
        await offers.answer(session, client, pressed, context.services.now())


async def on_stop(update: Update, context: AppContext) -> None:
    """The client confirms or cancels /stop."""
    query, pressed = _pressed(update, callbacks.Stop)
    await answer_quietly(query)
    if pressed is None or context.client is None:
        return
    async with _as_client(context, query) as (session, client):
        await commands.answer_stop(
            session, context.services, client, yes=pressed.yes, now=context.services.now()
        )


async def on_delete(update: Update, context: AppContext) -> None:
    """Yes once (asked again), yes twice (erased), or cancel."""
    query, pressed = _pressed(update, callbacks.Delete)
    await answer_quietly(query)
    if pressed is None or context.client is None:
        return
    async with _as_client(context, query) as (session, client):
        await commands.answer_delete(session, client, step=pressed.step, now=context.services.now())


def handlers() -> list[CallbackQueryHandler[Any, Any]]:
    """One handler per button prefix; the codec owns the prefixes."""
    return [
        CallbackQueryHandler(on_consent, pattern=f"^{callbacks.CONSENT}:"),
        CallbackQueryHandler(on_checkin, pattern=f"^{callbacks.CHECKIN}:"),
        CallbackQueryHandler(on_screener, pattern=f"^{callbacks.SCREENER}:"),
        CallbackQueryHandler(on_crisis_step, pattern=f"^{callbacks.CRISIS}:"),
        CallbackQueryHandler(on_question, pattern=f"^{callbacks.QUESTION}:"),
        CallbackQueryHandler(on_meaning, pattern=f"^{callbacks.MEANING}:"),
        CallbackQueryHandler(on_offer, pattern=f"^{callbacks.PREFERENCE}:"),
        CallbackQueryHandler(on_stop, pattern=f"^{callbacks.STOP}:"),
        CallbackQueryHandler(on_delete, pattern=f"^{callbacks.DELETE}:"),
    ]
