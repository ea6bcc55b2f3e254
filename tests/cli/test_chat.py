"""`aftercare chat` (trying the bot as a client, scripted through standard input) and
`aftercare client plan` (the plan as a file, and a new version of it)."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
import yaml

from tests.cli.conftest import invoke
from tests.cli.test_cli import client_args, setup_clinic


@pytest.mark.usefixtures("cli_env")
async def test_chat_reads_a_message_a_line_and_says_what_would_happen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await setup_clinic()
    assert (await asyncio.to_thread(invoke, *client_args())).code == 0
    shown_before = (await asyncio.to_thread(invoke, "client", "show", "1")).out
    script = "hi there\n\ni want to end it all tonight\nsleeping badly for several nights\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(script))
    result = await asyncio.to_thread(invoke, "chat", "1")
    assert result.code == 0, result.err
    hello, crisis, sign = result.out.split("Sam: ")[1:]
    assert "Would not alert the clinic." in hello
    assert "bot (first, ahead of anything else):" in crisis and "Samaritans: 116 123" in crisis
    assert "Would alert the clinic: crisis (urgent)." in crisis
    assert "Sleeping badly for several nights" in sign and "risk elevated" in sign
    assert result.out.rstrip().endswith("Nothing was stored or sent, and no one was alerted.")
    assert (await asyncio.to_thread(invoke, "client", "show", "1")).out == shown_before
    unknown = await asyncio.to_thread(invoke, "chat", "C-NOPE42")
    assert unknown.code == 2 and "no client 'C-NOPE42'" in unknown.err


@pytest.mark.usefixtures("cli_env")
async def test_client_plan_prints_the_file_and_saves_a_new_version(tmp_path: Path) -> None:
    await setup_clinic()
    assert (await asyncio.to_thread(invoke, *client_args())).code == 0
    printed = await asyncio.to_thread(invoke, "client", "plan", "1")
    plan = yaml.safe_load(printed.out)
    assert plan["warning_signs"][0] == "Sleeping badly for several nights"
    plan["warning_signs"].append("Staying in bed all weekend")
    edited = tmp_path / "plan.yml"
    edited.write_text(yaml.safe_dump(plan), encoding="utf-8")
    saved = await asyncio.to_thread(invoke, "client", "plan", "1", "--plan", str(edited))
    assert saved.code == 0 and "plan version 2 saved" in saved.out
    shown = await asyncio.to_thread(invoke, "client", "show", "1")
    assert "Staying in bed all weekend" in shown.out
    edited.write_text("warning_signs: []\n", encoding="utf-8")
    refused = await asyncio.to_thread(invoke, "client", "plan", "1", "--plan", str(edited))
    assert (
        refused.code == 2
        and "field 'warning_signs': List should have at least 1 item" in refused.err
    )
