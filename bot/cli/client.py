"""`aftercare client` and `aftercare checkin`: enrolling clients and seeing what happened."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import typer

from bot.checkin import schedule
from bot.cli import screeners as screener_cli
from bot.cli.client_view import describe_client
from bot.cli.common import CliError, database, run, settings_of
from bot.client import actions
from bot.client import service as clients
from bot.client.enrollment import Enrollment
from bot.client.invite import invite_link
from bot.plan import service as plans
from bot.plan.schema import dump_plan, load_plan_file
from bot.screener import plans as screener_plans
from bot.screener import riding as riding_screeners
from bot.screener import show as screener_show
from bot.screener.models import families_of
from bot.staff import service as staff_service
from bot.taper.templates import TaperError, parse_offsets
from bot.telegram.identity import bot_username

app = typer.Typer(help="Clients: enroll, invite, show, edit the plan.", no_args_is_help=True)
# Who the command line is, in a client's record of changes and a plan's versions.
CLI = "cli"
PHONE_HELP = "The client's phone, for the clinic in an emergency, e.g. '+44 7700 900123'."
CONTACT_HELP = "Who to call in an emergency and how, e.g. 'Alex (partner) 07700 900456'."
checkin_app = typer.Typer(help="Check-ins outside the taper.", no_args_is_help=True)


def _now() -> datetime:
    return datetime.now(UTC)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"ending date {text!r} is not a date like 2026-11-30") from None


@app.command("add")
def add_client(
    ctx: typer.Context,
    name: str = typer.Option(..., help="How the bot addresses the client, e.g. Sam."),
    therapist: int = typer.Option(..., help="The therapist's staff id."),
    ending_date: str = typer.Option(..., help="Date of the last session, e.g. 2026-11-30."),
    ending_type: str = typer.Option("planned", help="planned or unplanned."),
    timezone: str = typer.Option(..., help="The client's IANA timezone, e.g. Europe/London."),
    window: str = typer.Option("18:00-20:00", help="Local check-in window, e.g. 18:00-20:00."),
    template: str = typer.Option("standard", help="standard, brief, unplanned or custom."),
    offsets: str | None = typer.Option(None, help="With --template custom: days, e.g. 1,7,30."),
    plan: Path = typer.Option(..., help="The relapse-prevention plan (YAML)."),
    adaptive: bool = typer.Option(True, help="Bring check-ins closer when risk shows."),
    screeners: str | None = typer.Option(None, help=screener_cli.SCREENERS_HELP),
    audit_c_cutoff: str | None = typer.Option(None, help=screener_cli.CUTOFF_HELP),
    ending_phq9: int | None = typer.Option(None, help=screener_cli.ENDING_PHQ9_HELP),
    ending_gad7: int | None = typer.Option(None, help=screener_cli.ENDING_GAD7_HELP),
    language: str | None = typer.Option(
        None, help="en or es; default: the client's Telegram language, else the clinic's."
    ),
    phone: str | None = typer.Option(None, help=PHONE_HELP),
    emergency_contact: str | None = typer.Option(None, help=CONTACT_HELP),
) -> None:
    """Enroll a client at the last session, with their plan and taper."""
    document = load_plan_file(plan)
    screener_plan = screener_cli.plan_change(screeners, audit_c_cutoff, ending_phq9, ending_gad7)
    try:
        custom = parse_offsets(offsets) if offsets else None
    except (TaperError, ValueError) as exc:
        raise CliError(str(exc)) from None

    async def _add() -> str:
        async with database(settings_of(ctx)) as session:
            member = await staff_service.get_active(session, staff_id=therapist)
            client = await actions.enroll(
                session,
                therapist=member,
                by=CLI,
                enrollment=Enrollment(
                    display_name=name,
                    ending_date=_date(ending_date),
                    ending_type=ending_type,
                    timezone=timezone,
                    window=window,
                    template=template,
                    custom_offsets=custom,
                    plan=document,
                    adaptive_taper=adaptive,
                    screeners=screener_plan,
                    language=language,
                    phone=phone,
                    emergency_contact=emergency_contact,
                ),
                now=_now(),
            )
            count = len(await schedule.upcoming(session, client_id=client.id, limit=1000))
            return (
                f"client {client.id} ({client.pseudonym}): {client.display_name}, "
                f"{count} check-ins planned; next: aftercare client invite {client.id}"
            )

    typer.echo(run(_add()))


@app.command("update")
def update_client(
    ctx: typer.Context,
    client: str = typer.Argument(..., help="Id or pseudonym."),
    screeners: str | None = typer.Option(None, help=screener_cli.SCREENERS_HELP),
    audit_c_cutoff: str | None = typer.Option(None, help=screener_cli.CUTOFF_HELP),
    ending_phq9: int | None = typer.Option(None, help=screener_cli.ENDING_PHQ9_HELP),
    ending_gad7: int | None = typer.Option(None, help=screener_cli.ENDING_GAD7_HELP),
    phone: str | None = typer.Option(None, help=PHONE_HELP + " '' clears it."),
    emergency_contact: str | None = typer.Option(None, help=CONTACT_HELP + " '' clears it."),
) -> None:
    """Change a client's screener plan, or how the clinic reaches them in an emergency."""
    change = screener_cli.plan_change(screeners, audit_c_cutoff, ending_phq9, ending_gad7)
    if change is None and phone is None and emergency_contact is None:
        raise CliError(
            "nothing to change: give --screeners, --audit-c-cutoff, an ending total, "
            "--phone or --emergency-contact"
        )

    async def _update() -> list[str]:
        lines = []
        async with database(settings_of(ctx)) as session:
            found = await clients.get_by_ref(session, ref=client)
            if change is not None:
                plan = await screener_plans.change(session, client=found, change=change, now=_now())
                chosen = ", ".join(families_of(plan.families)) or "none"
                lines.append(f"screeners for {found.pseudonym}: {chosen}")
            if phone is not None or emergency_contact is not None:
                changed = await actions.change_contacts(
                    session,
                    client=found,
                    phone=phone,
                    emergency_contact=emergency_contact,
                    by=CLI,
                    now=_now(),
                )
                lines.append(
                    f"contacts for {found.pseudonym}: phone {found.phone or '-'}, "
                    f"emergency contact {found.emergency_contact or '-'}"
                    if changed.changed
                    else f"contacts for {found.pseudonym}: nothing changed"
                )
        return lines

    for line in run(_update()):
        typer.echo(line)


@app.command("invite")
def invite_client(ctx: typer.Context, client: str = typer.Argument(..., help="Id or pseudonym.")):
    """Print a single-use link (valid 14 days) for the client to open in Telegram."""
    settings = settings_of(ctx)

    async def _invite() -> str:
        username = await bot_username(settings)
        async with database(settings) as session:
            found = await clients.get_by_ref(session, ref=client)
            code, invite = await actions.invite(
                session, client=found, valid_days=settings.invite_valid_days, by=CLI, now=_now()
            )
            expires = invite.expires_at.strftime("%Y-%m-%d %H:%M UTC")
            link = invite_link(username, code)
            return f"{link}\n(single use; valid until {expires})"

    typer.echo(run(_invite()))


@app.command("show")
def show_client(ctx: typer.Context, client: str = typer.Argument(..., help="Id or pseudonym.")):
    """The client's plan, status, and past and upcoming check-ins in their local time."""

    async def _show() -> str:
        async with database(settings_of(ctx)) as session:
            found = await clients.get_by_ref(session, ref=client)
            return (
                await describe_client(session, found)
                + "\n\n"
                + await screener_show.render(session, found)
            )

    typer.echo(run(_show()))


@app.command("plan")
def edit_plan(
    ctx: typer.Context,
    client: str = typer.Argument(..., help="Id or pseudonym."),
    plan: Path | None = typer.Option(None, help="A new version of the plan (YAML)."),
) -> None:
    """Print the client's plan as a plan file, or with --plan save a new version of it."""
    document = load_plan_file(plan) if plan is not None else None

    async def _plan() -> str:
        async with database(settings_of(ctx)) as session:
            found = await clients.get_by_ref(session, ref=client)
            if document is None:
                current = await plans.get_document(session, client_id=found.id)
                if current is None:
                    raise CliError(f"client {found.pseudonym} has no plan")
                return dump_plan(current).rstrip()
            version = await actions.update_plan(
                session, client=found, plan=document, by=CLI, now=_now()
            )
            return f"plan version {version.number} saved for {found.pseudonym}"

    typer.echo(run(_plan()))


@app.command("list")
def list_clients(ctx: typer.Context) -> None:
    """All clients with their status and next check-in."""

    async def _list() -> list[str]:
        async with database(settings_of(ctx)) as session:
            lines = []
            for c in await clients.get_all(session):
                due = await schedule.next_due(session, client_id=c.id)
                when = due.strftime("%Y-%m-%d %H:%M UTC") if due else "-"
                lines.append(f"{c.id}\t{c.pseudonym}\t{c.display_name}\t{c.status.value}\t{when}")
            return lines

    for line in run(_list()) or ["no clients yet: enroll one with `aftercare client add`"]:
        typer.echo(line)


@checkin_app.command("send-now")
def send_now(
    ctx: typer.Context,
    client: str = typer.Argument(..., help="Id or pseudonym."),
    screener: str | None = typer.Option(
        None, help="phq or gad: one rides on it, short form first."
    ),
    force: bool = typer.Option(False, help="Send the screener within 14 days of the last one."),
):
    """Queue a check-in due now, outside the taper; `aftercare run` sends it within seconds."""
    family = screener_cli.one_family(screener)

    async def _send() -> str:
        async with database(settings_of(ctx)) as session:
            found = await clients.get_by_ref(session, ref=client)
            checkin = await actions.send_checkin_now(session, client=found, now=_now(), by=CLI)
            riding = ""
            if family is not None:
                await riding_screeners.plan_now(
                    session,
                    client=found,
                    checkin_id=checkin.id,
                    family=family,
                    force=force,
                    now=_now(),
                )
                riding = f" with a {family} screener"
            return (
                f"check-in {checkin.id}{riding} queued for {found.pseudonym}; it goes out at once"
            )

    typer.echo(run(_send()))
