"""Asking to come back: /return or in the client's own words; the clinic tracks the request."""

from __future__ import annotations

from telegram import Update

from bot.alert.models import AlertType, Severity
from bot.client.local_time import describe
from bot.client.models import Client
from bot.return_request import service as returns
from bot.telegram.alerting import raise_alert
from bot.telegram.context import AppContext
from bot.texts import dialogue as text


async def request_return(context: AppContext, client: Client, via: str) -> None:
    services = context.services
    now = services.now()
    async with services.sessionmaker.begin() as session:
        request, created = await returns.request(session, client=client, via=via, now=now)
        respond_by = describe(request.respond_by, client.timezone, now)
        status = text.RETURN_STATUS.get(request.status.value, request.status.value)
        request_id = request.id
    words = {"name": client.display_name, "clinic": client.clinic.name, "respond_by": respond_by}
    if created:
        await raise_alert(
            context,
            client,
            type=AlertType.return_request,
            severity=Severity.routine,
            evidence=f"return request {request_id} ({via})",
        )
        await context.bot.send_message(client.chat_id or 0, text.RETURN_NEW.format(**words))
    else:
        await context.bot.send_message(
            client.chat_id or 0, text.RETURN_OPEN.format(status=status, **words)
        )


async def return_command(update: Update, context: AppContext) -> None:
    """/return: ask to come back, or see how the request is going."""
    assert context.client is not None
    await request_return(context, context.client, "command")
