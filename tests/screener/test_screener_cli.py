"""The command line for screeners: the clinic's CSV (its columns), a client's plan at enrolment
and after, send-now with a screener and the 14-day rule, the clinic's settings; and /delete."""

from __future__ import annotations

import asyncio
import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.alert.models import Alert
from bot.audit.models import AuditEntry
from bot.client.erasure import erase_client
from bot.client.models import Client
from bot.database.core import SessionMaker
from bot.screener.models import Administration, ScreenerAnswer, ScreenerPlan
from tests.cli.conftest import cli_env, invoke  # noqa: F401 - the fixture, for these tests
from tests.cli.test_cli import client_args, setup_clinic
from tests.screener.history import client_with_screeners

ITEMS = [
    *(f"phq{n}" for n in range(1, 10)),
    "phq_difficulty",
    *(f"gad{n}" for n in range(1, 8)),
    "auditc1",
    "auditc2",
    "auditc3",
]
COLUMNS = [
    "pseudonym",
    "administration",
    "checkin",
    "instrument",
    "form",
    "status",
    "sent_at",
    "finished_at",
    *ITEMS,
    "short_total",
    "total",
    "band",
    "positive",
    "reference_total",
    "reference",
    "change",
]


async def cli(*args: str) -> tuple[int, str, str]:
    result = await asyncio.to_thread(invoke, *args)
    return result.code, result.out, result.err


@pytest.mark.usefixtures("cli_env")
async def test_the_csv_has_one_row_per_administration_with_its_items_and_totals(
    sessionmaker: SessionMaker, start: datetime, tmp_path: Path
) -> None:
    client_id = await client_with_screeners(sessionmaker, start)
    out = tmp_path / "outcomes.csv"
    code, said, err = await cli(
        "screeners", "export", "--clinic", "1", "--since", start.date().isoformat(),
        "--output", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert said.startswith("2 administrations of Riverside Clinic since")
    with out.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == COLUMNS
    first, second = (dict(zip(COLUMNS, row, strict=True)) for row in rows[1:])
    async with sessionmaker() as session:
        pseudonym = await session.scalar(select(Client.pseudonym).where(Client.id == client_id))
    assert first["pseudonym"] == second["pseudonym"] == pseudonym
    assert "Sam" not in out.read_text(encoding="utf-8")  # never the name
    assert [first[f"phq{n}"] for n in range(1, 10)] == ["2", "1", "1", "1", "1", "1", "1", "1", "0"]
    assert (first["form"], first["short_total"], first["total"], first["band"]) == (
        "phq9",
        "3",
        "9",
        "mild",
    )
    assert (second["total"], second["reference_total"], second["reference"], second["change"]) == (
        "15",
        "8",
        "ending",
        "7",
    )
    assert second["phq9"] == "1" and second["phq_difficulty"] == "1" and second["gad1"] == ""
    later = (start + timedelta(days=1)).date().isoformat()
    code, said, _ = await cli("screeners", "export", "--clinic", "1", "--since", later)
    assert code == 0 and said.splitlines()[0] == ",".join(COLUMNS)
    assert len(said.splitlines()) == 2  # only the second
    async with sessionmaker() as session:
        exported = await session.scalar(
            select(func.count()).where(AuditEntry.action == "screeners_exported")
        )
    assert exported == 2
    code, _, err = await cli("screeners", "export", "--clinic", "1", "--since", "last week")
    assert code == 2 and "is not a date" in err


@pytest.mark.usefixtures("cli_env")
async def test_plans_at_enrolment_and_after_and_send_now_with_a_screener(
    sessionmaker: SessionMaker,
) -> None:
    await setup_clinic()
    code, _, err = await cli(
        *client_args(), "--screeners", "phq,gad", "--ending-phq9", "12", "--ending-gad7", "9"
    )
    assert code == 0, err
    code, _, err = await cli(*client_args(), "--screeners", "audit_c")
    assert code == 2 and "needs its published cut-off" in err
    code, _, err = await cli(*client_args(), "--screeners", "phq,bdi")
    assert code == 2 and "unknown screener 'bdi'" in err
    code, said, err = await cli(
        "client", "update", "1", "--screeners", "phq,audit_c", "--audit-c-cutoff", "women"
    )
    assert code == 0 and said.strip().endswith("phq, audit_c"), err
    code, _, err = await cli("client", "update", "1")
    assert code == 2 and "nothing to change" in err
    async with sessionmaker() as session:
        plan = await session.get(ScreenerPlan, 1)
    assert plan is not None
    assert (plan.families, plan.audit_c_cutoff) == ("phq,audit_c", "women")
    assert plan.ending_totals == {"phq9": 12, "gad7": 9}
    code, said, _ = await cli("client", "show", "1")
    assert "Screeners:\n  plan: PHQ-2, AUDIT-C; AUDIT-C cut-off: women" in said
    # send-now needs an active client; the screener is refused like the check-in.
    code, _, err = await cli("checkin", "send-now", "1", "--screener", "phq")
    assert code == 2 and "check-ins go only to active clients" in err
    code, _, err = await cli("checkin", "send-now", "1", "--screener", "phq,gad")
    assert code == 2 and "takes one screener" in err


@pytest.mark.usefixtures("cli_env")
async def test_send_now_keeps_the_14_days_unless_forced(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await client_with_screeners(sessionmaker, start)
    code, said, err = await cli("checkin", "send-now", str(client_id), "--screener", "gad")
    assert code == 0 and "with a gad screener" in said, err
    code, _, err = await cli("checkin", "send-now", str(client_id), "--screener", "phq")
    assert code == 2 and "screeners go at most every 14 days (--force sends one anyway)" in err
    code, said, err = await cli(
        "checkin", "send-now", str(client_id), "--screener", "phq", "--force"
    )
    assert code == 0 and "with a phq screener" in said, err
    async with sessionmaker() as session:
        planned = list(
            await session.scalars(
                select(Administration.form).where(Administration.status == "planned")
            )
        )
    assert sorted(planned) == ["gad2", "phq2"]


@pytest.mark.usefixtures("cli_env")
async def test_the_clinic_settings(sessionmaker: SessionMaker) -> None:
    await setup_clinic()
    code, said, _ = await cli("screeners", "clinic", "1")
    assert code == 0 and "new clients get no screeners; PHQ-9 item 9: by its answer" in said
    code, said, _ = await cli(
        "screeners", "clinic", "Riverside Clinic", "--new-clients", "phq,gad", "--item9-urgent"
    )
    assert code == 0 and "new clients get phq, gad; PHQ-9 item 9: any answer above" in said
    code, _, err = await cli(*client_args())
    assert code == 0, err
    async with sessionmaker() as session:
        plan = await session.get(ScreenerPlan, 1)
    assert plan is not None and plan.families == "phq,gad"


async def test_delete_removes_every_screener_answer(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await client_with_screeners(sessionmaker, start)
    async with sessionmaker() as session:
        before = await session.scalar(select(func.count()).select_from(ScreenerAnswer))
    assert before == 20
    async with sessionmaker.begin() as session:
        receipt = await erase_client(session, client_id=client_id, now=start)
    assert receipt.screeners == 2
    async with sessionmaker() as session:
        for model in (ScreenerAnswer, Administration, ScreenerPlan):
            left = await session.scalar(select(func.count()).select_from(model))
            assert left == 0, model


@pytest.mark.usefixtures("cli_env")
async def test_alerts_show_says_which_screener_answers_raised_it(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    await client_with_screeners(sessionmaker, start)
    async with sessionmaker() as session:
        found = {a.type.value: a.id for a in await session.scalars(select(Alert))}
    code, item9, err = await cli("alerts", "show", str(found["crisis"]))
    assert code == 0, err
    assert (
        'screener answer: PHQ-9 item 9 "Thoughts that you would be better off dead or of hurting '
        'yourself in some way": Several days'
    ) in item9
    code, change, _ = await cli("alerts", "show", str(found["warning_signs"]))
    assert (
        "screener total: PHQ-9 4 from PHQ-2, then 15 moderately severe; +7 since the ending "
        "(reliable deterioration)"
    ) in change
    assert "screener answer" not in change
