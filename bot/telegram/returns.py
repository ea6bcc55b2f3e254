"""/return: ask to come back, or see how the request is going."""

from __future__ import annotations

from telegram import Update

from bot.client import service as clients
from bot.escalation import replies
from bot.telegram.context import AppContext


async def return_command(update: Update, context: AppContext) -> None:
    """/return: ask to come back, or see how the request is going."""
    client = context.client
    assert client is not None
    services = context.services
    async with services.sessionmaker.begin() as session:
        client = await clients.get(session, client_id=client.id)
        await replies.request_return(session, client, "command", services.now())
