"""Webhook mode: each request is answered only once its update is on record (200), or with 503
when a passing failure (the database down) means Telegram should deliver it again later.

Every request must carry the secret token Telegram was given; any other request gets 403.
"""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram import Bot, Update

from bot.telegram.updates import UpdateRunner

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are small; anything larger is not one.
MAX_BODY = 1_000_000


class WebhookServer:
    def __init__(
        self,
        bot: Bot,
        runner: UpdateRunner,
        *,
        secret: str,
        path: str,
        listen: str,
        port: int,
    ) -> None:
        self.bot = bot
        self.runner = runner
        self.secret = secret
        self.path = "/" + path.strip("/")
        self.listen, self.port = listen, port
        self._runner: web.AppRunner | None = None

    async def start(self, *, url: str, allowed_updates: list[str]) -> None:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(self.path, self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()
        await self.bot.set_webhook(
            url=url, secret_token=self.secret, allowed_updates=allowed_updates
        )
        logger.info("taking webhook requests on %s:%s%s", self.listen, self.port, self.path)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            return web.Response(status=403)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, self.bot)
        except Exception:  # not an update: nothing Telegram could usefully send again
            logger.warning("webhook request without a readable update")
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        if await self.runner.run(update):
            return web.Response(status=200)
        return web.Response(status=503, text="not on record yet: please deliver it again")
