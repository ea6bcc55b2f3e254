"""The aiohttp request under PTB's Bot: what arrives at the server, and every failure as PTB's
own error (a timeout as TimedOut, a refused connection as NetworkError, statuses mapped by PTB)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram.http import AiohttpRequest
from tests.support.loopback import serving

TOKEN = "123:abc"


class Server:
    """A loopback Bot API that records each call and answers as told."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.answer: tuple[int, dict[str, Any]] = (200, {"ok": True, "result": True})
        self.delay = 0.0

    async def handle(self, request: web.Request) -> web.Response:
        call: dict[str, Any] = {"method": request.match_info["method"]}
        if request.content_type.startswith("multipart/"):
            async for part in await request.multipart():
                body = await part.read()  # type: ignore[union-attr]
                call[part.name or ""] = (part.filename, bytes(body))  # type: ignore[union-attr]
        else:
            call.update(await request.post())
        self.calls.append(call)
        await asyncio.sleep(self.delay)
        status, payload = self.answer
        return web.json_response(payload, status=status)


@pytest.fixture
async def server() -> AsyncIterator[tuple[Server, str]]:
    fake = Server()
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", fake.handle)
    async with serving(app) as (_, base_url):
        yield fake, f"{base_url}/bot"


@contextlib.asynccontextmanager
async def bot(base_url: str, *, read_timeout: float = 2.0) -> AsyncIterator[Bot]:
    """A Bot whose sends go through the aiohttp request (no getMe: the server may be down)."""
    request = AiohttpRequest(
        pool_size=2, read_timeout=read_timeout, write_timeout=2.0, connect_timeout=2.0,
        pool_timeout=1.0,
    )  # fmt: skip
    await request.initialize()
    try:
        yield Bot(TOKEN, base_url=base_url, request=request)
    finally:
        await request.shutdown()


async def test_form_fields_arrive_as_sent(server: tuple[Server, str]) -> None:
    fake, base = server
    chat = {"id": 42, "type": "private"}
    fake.answer = (200, {"ok": True, "result": {"message_id": 7, "date": 0, "chat": chat}})
    async with bot(base) as b:
        message = await b.send_message(42, "hi ✓", disable_notification=True)
    assert message.message_id == 7
    [call] = fake.calls
    assert (call["method"], call["chat_id"], call["text"]) == ("sendMessage", "42", "hi ✓")
    assert call["disable_notification"] == "true"


async def test_a_file_goes_as_multipart(server: tuple[Server, str]) -> None:
    fake, base = server
    chat = {"id": 42, "type": "private"}
    fake.answer = (200, {"ok": True, "result": {"message_id": 8, "date": 0, "chat": chat}})
    async with bot(base) as b:
        await b.send_document(42, b'{"a": 1}', filename="export.json", caption="yours")
    [call] = fake.calls
    assert call["chat_id"] == (None, b"42") and call["caption"] == (None, b"yours")
    [(filename, content)] = [v for k, v in call.items() if isinstance(v, tuple) and v[0]]
    assert (filename, content) == ("export.json", b'{"a": 1}')


async def test_statuses_become_ptbs_errors(server: tuple[Server, str]) -> None:
    fake, base = server
    async with bot(base) as b:
        fake.answer = (429, {"ok": False, "error_code": 429, "description": "Too Many Requests",
                             "parameters": {"retry_after": 3}})  # fmt: skip
        with pytest.raises(RetryAfter) as retry:
            await b.send_message(1, "x")
        assert retry.value.retry_after == timedelta(seconds=3)
        fake.answer = (403, {"ok": False, "error_code": 403, "description": "Forbidden: blocked"})
        with pytest.raises(Forbidden):
            await b.send_message(1, "x")
        fake.answer = (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
        with pytest.raises(NetworkError):
            await b.send_message(1, "x")


async def test_a_late_answer_is_a_timeout(server: tuple[Server, str]) -> None:
    fake, base = server
    fake.delay = 1.0
    async with bot(base, read_timeout=0.2) as b:
        with pytest.raises(TimedOut):
            await b.send_message(1, "x")
    assert len(fake.calls) == 1  # it arrived: the caller must treat it as possibly sent


async def test_a_refused_connection_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with bot(f"http://127.0.0.1:{port}/bot") as b:
        with pytest.raises(NetworkError) as refused:
            await b.send_message(1, "x")
    assert not isinstance(refused.value, TimedOut)


async def test_unused_request_refuses_clearly() -> None:
    request = AiohttpRequest(
        pool_size=1, read_timeout=1.0, write_timeout=1.0, connect_timeout=1.0, pool_timeout=1.0
    )
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/x", "POST")
