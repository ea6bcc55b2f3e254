"""The last line for an update whose handling failed: the policy's fallback, applied once.

A passing failure (the database down or locked) leaves the update unconfirmed so it is handled
again; meanwhile words that may mean danger get the crisis resources at once, once, from the
process's copy of the clinic's (or the deployment's default). Any other failure gets the
resources if needed, an honest apology and a needs-review alert, through the outbox when the
database answers. Either way no other handler runs for the update.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from telegram import Update
from telegram.constants import ChatType
from telegram.error import NetworkError
from telegram.ext import ApplicationHandlerStop

from bot.conversation import fallback
from bot.conversation.flow import StaleConnection, understand
from bot.nlu.understanding import Risk
from bot.policy.decide import decide_failure
from bot.policy.rules import Reply
from bot.services import Services
from bot.telegram.context import AppContext, SendNow
from bot.telegram.inbound import inbound_of
from bot.telegram.updates import Failure, UpdateRunner

logger = logging.getLogger(__name__)


# PostgreSQL's codes for a database that cannot answer now: connection problems (08), a lock not
# granted in time, a deadlock or serialization failure, too many connections, shutting down.
PASSING_SQLSTATES = ("08", "55P03", "40001", "40P01", "53300", "57P01", "57P02", "57P03")


def is_passing(error: BaseException | None) -> bool:
    """The database (or the network to Telegram) did not answer: handling it again can work."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout | StaleConnection):
        return True
    if isinstance(error, DBAPIError):
        code = str(getattr(error.orig, "sqlstate", None) or "")
        return bool(error.connection_invalidated) or code.startswith(PASSING_SQLSTATES)
    return isinstance(error, OSError | TimeoutError | NetworkError)


def _private_chat(update: object) -> int | None:
    if not isinstance(update, Update) or update.effective_chat is None:
        return None
    chat = update.effective_chat
    return chat.id if chat.type == ChatType.PRIVATE else None


async def on_error(update: object, context: AppContext) -> None:
    error = context.error
    passing = is_passing(error)
    runner = context.runner
    if runner is not None:
        runner.failed(update, Failure(passing=passing, error=error or RuntimeError("unknown")))
    decision = decide_failure(database_unavailable=passing)
    if passing:
        logger.warning("update failed for a passing reason, handled again later: %r", error)
    else:
        logger.error("update failed", exc_info=error)
    chat_id = _private_chat(update)
    if chat_id is not None and isinstance(update, Update):
        try:
            await _fallback(update, context, chat_id, decision.reply)
        except Exception:  # nothing more can be done than the log
            logger.exception("could not answer chat %s after a failure", chat_id)
    # One handler per update: nothing else runs for it after a failure.
    raise ApplicationHandlerStop


async def _may_mean_danger(services: Services, update: Update) -> bool:
    inbound = inbound_of(update)
    if inbound is None or not inbound.text.strip():
        return False
    reading = await understand(services, inbound.text)
    return reading.risk in (Risk.crisis, Risk.ask)


async def resources_now(
    services: Services, runner: UpdateRunner, send_now: SendNow, update: Update
) -> None:
    """While the database does not answer: the crisis resources at once, once per update."""
    chat_id = _private_chat(update)
    if chat_id is None or update.update_id in runner.resourced:
        return
    if await _may_mean_danger(services, update):
        resources = runner.clinics.get(chat_id)
        await send_now(chat_id, fallback.resources_text(services.settings, resources))
        runner.resourced.add(update.update_id)


async def _fallback(update: Update, context: AppContext, chat_id: int, reply: Reply) -> None:
    services, runner = context.services, context.runner
    if reply is Reply.resources_now:
        if runner is not None:
            await resources_now(services, runner, context.send_now, update)
        return
    danger = await _may_mean_danger(services, update)
    already = runner is not None and update.update_id in runner.resourced
    copy = runner.clinics.get(chat_id) if runner is not None else None
    await fallback.handling_failed(
        services,
        chat_id=chat_id,
        danger=danger and not already,
        copy=copy,
        send_now=context.send_now,
    )
