"""`aftercare run` as a real process: starts, answers, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.support.fake_bot_api import FakeBotApi

AFTERCARE = Path(sys.executable).parent / "aftercare"


async def test_run_answers_and_stops_on_interrupt(fake_bot_api: FakeBotApi, tmp_path: Path) -> None:
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN="123:ABC",
        TELEGRAM_API_URL=fake_bot_api.base_url,
        DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.db'}",
        LOG_LEVEL="INFO",
        WEB_PORT="0",  # the console too, on a free port
    )
    env.pop("RASA_URL", None)
    proc = await asyncio.create_subprocess_exec(
        str(AFTERCARE),
        "run",
        env=env,
        cwd=tmp_path,  # no developer's .env in the way
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await fake_bot_api.wait_for_call("setMyCommands", timeout=60)
        # Polling starts once the NLU model is ready (training it takes a while on a busy host).
        await fake_bot_api.wait_for_call("getUpdates", timeout=90)
        fake_bot_api.push_text(777, "hello there")
        [reply] = await fake_bot_api.wait_for_call("sendMessage", 777, timeout=10)
        assert "personal link" in reply.params["text"]
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = await asyncio.wait_for(proc.communicate(), 30)
    log = out.decode()
    assert proc.returncode == 0, log
    assert "aftercare is running (polling)" in log and "Traceback" not in log
    assert "clinic console at" in log
