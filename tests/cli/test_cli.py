"""The therapist's command line: enrolling works, and every bad input is one clear line."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.cli.conftest import invoke
from tests.factories import EXAMPLE_PLAN
from tests.support import clock

CLINIC = [
    "clinic",
    "add",
    "Riverside Clinic",
    "--timezone",
    "Europe/London",
    "--crisis-resources",
    "Samaritans: 116 123",
    "--emergency-number",
    "999",
]


def client_args(**changes: str) -> list[str]:
    options = {
        "--name": "Sam",
        "--therapist": "1",
        # The last session was today: every offset of the taper is still ahead.
        "--ending-date": clock.now().date().isoformat(),
        "--timezone": "Europe/London",
        "--window": "18:00-20:00",
        "--template": "standard",
        "--plan": str(EXAMPLE_PLAN),
    }
    options.update(changes)
    return ["client", "add", *[part for pair in options.items() for part in pair]]


async def setup_clinic() -> None:
    for args in (["db", "upgrade"], CLINIC, ["staff", "add", "Dr Ana Rivera", "--clinic", "1"]):
        result = await asyncio.to_thread(invoke, *args)
        assert result.code == 0, result.err


@pytest.mark.usefixtures("cli_env")
async def test_enroll_invite_show_list() -> None:
    await setup_clinic()
    added = await asyncio.to_thread(invoke, *client_args())
    assert added.code == 0 and "13 check-ins planned" in added.out
    invite = await asyncio.to_thread(invoke, "client", "invite", "1")
    assert invite.code == 0
    link = invite.out.splitlines()[0]
    assert link.startswith("https://t.me/aftercare_test_bot?start=")
    assert len(link.split("=", 1)[1]) >= 22  # >= 128 bits in base64url
    shown = await asyncio.to_thread(invoke, "client", "show", "1")
    assert "status: invited" in shown.out and "Upcoming check-ins:" in shown.out
    assert "Sleeping badly for several nights" in shown.out
    listed = await asyncio.to_thread(invoke, "client", "list")
    assert "\tSam\tinvited\t" in listed.out


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"--timezone": "Mars/Olympus"}, "unknown timezone 'Mars/Olympus'"),
        ({"--window": "25:00-26:00"}, "25:00"),
        ({"--template": "weekly"}, "standard"),
        ({"--ending-date": "30/11/2026"}, "not a date like"),
        ({"--therapist": "99"}, "no staff member with id 99"),
        ({"--ending-type": "sudden"}, "planned or unplanned"),
        ({"--language": "klingon"}, "unknown language 'klingon': use en, es"),
    ],
)
async def test_bad_enrollment_input_is_one_clear_line(
    changes: dict[str, str], message: str
) -> None:
    await setup_clinic()
    result = await asyncio.to_thread(invoke, *client_args(**changes))
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.usefixtures("cli_env")
async def test_bad_plan_file_names_the_field(tmp_path: Path) -> None:
    await setup_clinic()
    plan = tmp_path / "plan.yml"
    plan.write_text(
        "warning_signs: [Sleeping badly]\ncoping_strategies:\n  - script: hi\nclosing_note: x\n"
    )
    result = await asyncio.to_thread(invoke, *client_args(**{"--plan": str(plan)}))
    assert result.code == 2
    assert "field 'coping_strategies.1.action'" in result.err
    plan.write_text("warning_signs: [a\n")
    result = await asyncio.to_thread(invoke, *client_args(**{"--plan": str(plan)}))
    assert "not valid YAML" in result.err


@pytest.mark.usefixtures("cli_env")
async def test_unknown_client_and_inactive_send_now() -> None:
    await setup_clinic()
    result = await asyncio.to_thread(invoke, "client", "show", "C-NOPE42")
    assert result.code == 2 and "no client 'C-NOPE42'" in result.err
    await asyncio.to_thread(invoke, *client_args())
    result = await asyncio.to_thread(invoke, "checkin", "send-now", "1")
    assert result.code == 2 and "is invited" in result.err


@pytest.mark.usefixtures("cli_env")
async def test_database_not_upgraded_says_what_to_do() -> None:
    result = await asyncio.to_thread(invoke, "client", "list")
    assert result.code == 2 and "aftercare db upgrade" in result.err


@pytest.mark.usefixtures("cli_env")
async def test_run_without_token_points_to_botfather() -> None:
    result = await asyncio.to_thread(invoke, "run")
    assert result.code == 2 and "@BotFather" in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.usefixtures("cli_env")
async def test_db_check_is_healthy_only_at_the_latest_schema() -> None:
    before = await asyncio.to_thread(invoke, "db", "check")
    assert before.code == 1 and "aftercare db upgrade" in before.err
    await asyncio.to_thread(invoke, "db", "upgrade")
    after = await asyncio.to_thread(invoke, "db", "check")
    assert after.code == 0 and "healthy: database at revision" in after.out


@pytest.mark.usefixtures("cli_env")
async def test_a_client_in_spanish_and_a_crisis_line_per_language() -> None:
    await setup_clinic()
    added = await asyncio.to_thread(invoke, *client_args(**{"--language": "es"}))
    assert added.code == 0, added.err
    assert "language: es" in (await asyncio.to_thread(invoke, "client", "show", "1")).out
    line = ["clinic", "resource-add", "1", "--name", "Esperanza", "--number", "717 003 717"]
    wrong = await asyncio.to_thread(invoke, *line, "--hours", "24/7", "--languages", "spanish")
    assert wrong.code == 2 and "'spanish' is not a language code" in wrong.err
    added_line = await asyncio.to_thread(invoke, *line, "--hours", "24/7", "--languages", "es")
    assert added_line.code == 0 and "Esperanza: 717 003 717 (24/7)" in added_line.out
    listed = await asyncio.to_thread(invoke, "clinic", "resources", "1")
    assert "Esperanza: 717 003 717 (24/7)\tes\tverified " in listed.out
