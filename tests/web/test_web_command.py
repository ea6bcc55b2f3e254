"""`aftercare web` as a process: it serves the console (with /healthz) and stops on Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.timeout(90)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_aftercare_web_serves_the_console_until_ctrl_c(
    database_url: str, tmp_path: Path
) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATA_DIR": str(tmp_path),
        "WEB_PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    command = Path(sys.executable).with_name("aftercare")
    process = await asyncio.create_subprocess_exec(
        str(command), "web", cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(300):
                try:
                    health = await client.get("/healthz")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            else:
                raise AssertionError("aftercare web did not answer within 30 s")
            assert health.status_code == 200 and health.json() == {"status": "ok"}
            page = await client.get("/sign-in")
            assert page.status_code == 200 and "Sign in" in page.text
            assert (await client.get("/alerts")).headers["location"] == "/sign-in"
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 20) == 0
        assert process.stderr is not None
        errors = (await process.stderr.read()).decode()
        assert f"clinic console: http://127.0.0.1:{port}" in errors and "Traceback" not in errors
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
