"""The enrolment wizard and the plan editor over ASGI: each step's checks, the same messages as
the command line, import and export of the plan file, versions and their differences."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from bot.checkin.models import Checkin, CheckinKind
from bot.client.models import Client, Invite
from bot.plan import service as plans
from bot.plan.models import PlanVersion
from bot.plan.schema import dump_plan
from bot.services import Services
from tests.cli.conftest import cli_env, invoke
from tests.factories import EXAMPLE_PLAN, example_plan
from tests.web.conftest import Browser, Browsers, Worlds

__all__ = ["cli_env"]  # the command line's environment, for comparing its messages


def wizard(step: int, **changes: Any) -> dict[str, Any]:
    """The whole wizard form as a browser sends it, at `step`."""
    form: dict[str, Any] = {
        "step": str(step),
        "name": "Alex Doe",
        "ending_date": "2026-11-30",
        "ending_type": "planned",
        "timezone": "Europe/London",
        "window": "18:00-20:00",
        "template": "standard",
        "adaptive": "yes",
        "sign-0": "Sleeping badly",
        "sign-1": "Skipping meals",
        "trigger-count": "1",
        "trigger-0-situation": "",
        "trigger-0-what_to_do": "",
        "coping-count": "2",
        "coping-0-action": "A walk before dinner",
        "coping-0-helps": "0",
        "coping-1-action": "",
        "support-count": "1",
        "support-0-name": "Priya",
        "support-0-how_to_reach": "07700 900123",
        "professional-count": "0",
        "closing_note": "You did the work, Alex.",
    }
    form.update(changes)
    return form


async def post(browser: Browser, path: str, form: dict[str, Any]) -> Any:
    data = {"csrf_token": browser.csrf or "", **form}
    return await browser.http.post(path, data=data, headers={"origin": "http://console.test"})


async def test_each_step_is_checked_with_the_command_lines_words(
    browsers: Browsers, worlds: Worlds
) -> None:
    ana = await browsers.signed_in(worlds.home.therapist_id)
    assert (await ana.get("/clients/new")).status_code == 200
    bad_window = await post(ana, "/clients/new", wizard(0, window="18:00", action="next"))
    assert bad_window.status_code == 400
    assert "needs an end time too, like 18:00-20:00" in bad_window.text
    bad_zone = await post(ana, "/clients/new", wizard(0, timezone="London", action="next"))
    assert "unknown timezone &#39;London&#39;" in bad_zone.text
    taper = await post(ana, "/clients/new", wizard(0, action="next"))
    assert taper.status_code == 200 and 'name="step" value="1"' in taper.text
    custom = await post(
        ana, "/clients/new", wizard(1, template="custom", offsets="", action="next")
    )
    assert "the custom taper needs its days, like 1,7,14,30" in custom.text
    twice = await post(
        ana, "/clients/new", wizard(1, template="custom", offsets="7,7", action="next")
    )
    assert "day 7 is listed more than once" in twice.text
    plan = await post(ana, "/clients/new", wizard(1, action="next"))
    assert 'name="step" value="2"' in plan.text
    back = await post(ana, "/clients/new", wizard(2, action="back"))
    assert 'name="step" value="1"' in back.text and "Alex Doe" in back.text


@pytest.mark.usefixtures("cli_env")
async def test_the_plan_editor_refuses_what_the_command_line_refuses_in_the_same_words(
    browsers: Browsers, worlds: Worlds, tmp_path: Path
) -> None:
    ana = await browsers.signed_in(worlds.home.therapist_id)
    await ana.get("/clients/new")
    cases = {
        # A strategy written without its action: the file leaves the key out, the form blank.
        "no action": (
            {"coping-1-action": "", "coping-1-script": "I'm not drinking tonight"},
            lambda p: p["coping_strategies"].append({"script": "I'm not drinking tonight"}),
        ),
        "no signs": (
            {"sign-0": "", "sign-1": "", "coping-0-helps": ""},
            lambda p: (p.update(warning_signs=[]), p["coping_strategies"][0].pop("helps_with")),
        ),
        "no closing note": ({"closing_note": "  "}, lambda p: p.pop("closing_note")),
        "every year without a date": (
            {
                "trigger-0-situation": "Court",
                "trigger-0-what_to_do": "Call Tom",
                "trigger-0-every_year": "yes",
            },
            lambda p: p.setdefault("triggers", []).append(
                {"situation": "Court", "what_to_do": "Call Tom", "every_year": True}
            ),
        ),
        "not a date": (
            {
                "trigger-0-situation": "Court",
                "trigger-0-what_to_do": "Call Tom",
                "trigger-0-date": "31/02/2027",
            },
            lambda p: p.setdefault("triggers", []).append(
                {"situation": "Court", "what_to_do": "Call Tom", "date": "31/02/2027"}
            ),
        ),
    }
    base = {
        "warning_signs": ["Sleeping badly", "Skipping meals"],
        "coping_strategies": [{"action": "A walk before dinner", "helps_with": ["Sleeping badly"]}],
        "support_people": [{"name": "Priya", "how_to_reach": "07700 900123"}],
        "closing_note": "You did the work, Alex.",
    }
    for name, (form_change, file_change) in cases.items():
        response = await post(ana, "/clients/new", wizard(2, action="next", **form_change))
        assert response.status_code == 400, name
        document = yaml.safe_load(yaml.safe_dump(base))
        file_change(document)
        path = tmp_path / "plan.yml"
        path.write_text(yaml.safe_dump(document), encoding="utf-8")
        cli = await asyncio.to_thread(
            invoke,
            "client",
            "add",
            "--name",
            "A",
            "--therapist",
            "1",
            "--ending-date",
            "2026-11-30",
            "--timezone",
            "Europe/London",
            "--plan",
            str(path),
        )
        message = cli.err.removeprefix("error: ").strip().replace(str(path), "plan.yml")
        assert cli.code == 2 and message.startswith("plan.yml: field"), (name, cli.err)
        assert message.replace("'", "&#39;").replace('"', "&#34;") in response.text, (name, message)


async def test_enrol_through_review_then_create_with_an_invite(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    ana = await browsers.signed_in(worlds.home.therapist_id)
    await ana.get("/clients/new")
    today = services.now().date()
    anniversary = today + timedelta(days=20)
    dated = {
        "ending_date": today.isoformat(),
        "trigger-0-situation": "The anniversary of Dad's death",
        "trigger-0-what_to_do": "Plan the day with Priya",
        "trigger-0-date": anniversary.isoformat(),
    }
    review = await post(ana, "/clients/new", wizard(2, action="next", **dated))
    assert review.status_code == 200 and 'name="step" value="3"' in review.text
    assert (
        "Week 52" in review.text
        and "two days before “The anniversary of Dad&#39;s death”" in review.text
    )
    pseudonym = review.text.split('name="pseudonym" value="', 1)[1].split('"', 1)[0]
    created = await post(
        ana, "/clients/new", wizard(3, action="create", pseudonym=pseudonym, **dated)
    )
    assert created.status_code == 201
    assert "https://t.me/aftercare_test_bot?start=" in created.text and "<svg" in created.text
    again = await post(
        ana, "/clients/new", wizard(3, action="create", pseudonym=pseudonym, **dated)
    )
    assert again.status_code == 303  # a resent form makes no second client
    async with services.sessionmaker() as session:
        client = await session.scalar(select(Client).where(Client.pseudonym == pseudonym))
        assert client is not None and client.display_name == "Alex Doe"
        assert client.therapist_id == worlds.home.therapist_id
        invites = await session.scalar(select(func.count()).where(Invite.client_id == client.id))
        caring = list(
            await session.scalars(
                select(Checkin).where(Checkin.client_id == client.id, Checkin.occasion.is_not(None))
            )
        )
        plan = await plans.get_document(session, client_id=client.id)
    assert invites == 1
    assert [c.occasion["on"] for c in caring if c.occasion] == [anniversary.isoformat()]
    assert caring[0].due_at.date() == anniversary - timedelta(days=2)
    assert caring[0].kind is CheckinKind.caring
    assert plan is not None and plan.triggers[0].date is not None


async def test_import_and_export_the_plan_file(browsers: Browsers, worlds: Worlds) -> None:
    ana = await browsers.signed_in(worlds.home.therapist_id)
    await ana.get("/clients/new")
    form = {"csrf_token": ana.csrf or "", **wizard(2, action="import")}
    files = {"plan_file": ("plan.yml", EXAMPLE_PLAN.read_bytes(), "application/yaml")}
    headers = {"origin": "http://console.test"}
    imported = await ana.http.post("/clients/new", data=form, files=files, headers=headers)
    assert imported.status_code == 200
    assert 'value="Telling myself &#34;what&#39;s the point&#34;"' in imported.text
    broken = {"plan_file": ("mine.yml", b"warning_signs: [a\n", "application/yaml")}
    refused = await ana.http.post("/clients/new", data=form, files=broken, headers=headers)
    assert refused.status_code == 400 and "mine.yml: not valid YAML at line 2" in refused.text
    export = await post(ana, "/clients/new", wizard(2, action="export"))
    assert export.headers["content-disposition"] == 'attachment; filename="plan.yml"'
    assert yaml.safe_load(export.text)["warning_signs"] == ["Sleeping badly", "Skipping meals"]


async def test_editing_a_plan_keeps_the_last_version_and_shows_what_changed(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    ana = await browsers.signed_in(worlds.home.therapist_id)
    base = f"/clients/{worlds.home.client_id}/plan"
    editor = await ana.get(f"{base}/edit")
    assert editor.status_code == 200 and "Sleeping badly for several nights" in editor.text
    plan = example_plan()
    form: dict[str, Any] = {"action": "save", "closing_note": plan.closing_note}
    for i, sign in enumerate(plan.warning_signs):
        form[f"sign-{i}"] = sign
    form["sign-2"] = "Not answering the phone"
    form["coping-count"] = "1"
    form["coping-0-action"] = "Three slow breaths"
    saved = await post(ana, base, form)
    assert saved.status_code == 303 and saved.headers["location"].endswith("notice=plan_saved")
    page = await ana.get(saved.headers["location"])
    assert "What changed in version 2" in page.text
    assert (
        '<li class="added"><span class="sr">Added: </span>Not answering the phone</li>' in page.text
    )
    assert '<li class="removed"><span class="sr">Removed: </span>Skipping meals</li>' in page.text
    async with services.sessionmaker() as session:
        current = await plans.get_document(session, client_id=worlds.home.client_id)
        numbers = list(
            await session.scalars(
                select(PlanVersion.number)
                .where(PlanVersion.client_id == worlds.home.client_id)
                .order_by(PlanVersion.number)
            )
        )
    assert current is not None and "Not answering the phone" in current.warning_signs
    assert numbers == [1, 2]
    first = await ana.get(f"{base}?version=1")
    assert "The first version: nothing to compare it with" in first.text
    download = await ana.get(f"/clients/{worlds.home.client_id}/plan.yml")
    assert yaml.safe_load(download.text)["warning_signs"][2] == "Not answering the phone"
    refused = await post(ana, base, {"action": "save", "closing_note": "x"})
    assert refused.status_code == 400
    assert (
        "plan.yml: field &#39;warning_signs&#39;: List should have at least 1 item" in refused.text
    )
    assert dump_plan(current).startswith("warning_signs:")


async def test_the_therapist_chooses_the_clients_language(
    browsers: Browsers, services: Services, worlds: Worlds
) -> None:
    ana = await browsers.signed_in(worlds.home.therapist_id)
    page = (await ana.get("/clients/new")).text
    assert '<option value="es">Spanish</option>' in page
    assert "Their Telegram's, or English" in page
    wrong = await post(ana, "/clients/new", wizard(0, language="klingon", action="next"))
    assert (
        wrong.status_code == 400 and "unknown language &#39;klingon&#39;: use en, es" in wrong.text
    )
    today = services.now().date().isoformat()
    review = await post(
        ana, "/clients/new", wizard(2, action="next", language="es", ending_date=today)
    )
    assert "<dt>Language</dt><dd>Spanish</dd>" in review.text
    pseudonym = review.text.split('name="pseudonym" value="', 1)[1].split('"', 1)[0]
    created = await post(
        ana,
        "/clients/new",
        wizard(3, action="create", pseudonym=pseudonym, language="es", ending_date=today),
    )
    assert created.status_code == 201
    async with services.sessionmaker() as session:
        client = await session.scalar(select(Client).where(Client.pseudonym == pseudonym))
    assert client is not None and client.language == "es"
