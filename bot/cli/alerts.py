"""`aftercare alerts`: what staff must act on, with its audit trail; and the Telegram link codes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert import actions, staff_link
from bot.alert import service as alerts
from bot.alert.handling_models import ResolutionReason
from bot.alert.models import Alert
from bot.alert.views import client_words
from bot.cli.common import database, run, settings_of
from bot.client.models import Client
from bot.clinic import service as clinics
from bot.clinic.models import Clinic
from bot.errors import InvalidInput
from bot.screener import show as screener_show
from bot.staff import service as staff_service

app = typer.Typer(help="Alerts to the clinic: list, acknowledge, resolve.", no_args_is_help=True)
CLI = "cli"


def _now() -> datetime:
    return datetime.now(UTC)


def _local(moment: datetime | None, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M") if moment else "-"


def _line(alert: Alert, pseudonym: str, clinic: Clinic) -> str:
    due = _local(alert.deadline_at, clinic.timezone)
    return (
        f"{alert.id}\t{alert.status.value}\t{alert.severity.value}\t{alert.type.value}\t"
        f"{pseudonym}\tdue {due}\tx{alert.count}\t{clinic.name}"
    )


@app.command("list")
def list_alerts(
    ctx: typer.Context,
    open_only: bool = typer.Option(False, "--open", help="Only alerts not yet resolved."),
    clinic: str | None = typer.Option(None, help="Clinic id or name."),
) -> None:
    """List alerts, newest first."""

    async def _list() -> list[str]:
        async with database(settings_of(ctx)) as session:
            clinic_id = (await clinics.get_by_ref(session, ref=clinic)).id if clinic else None
            found = await alerts.get_all(session, clinic_id=clinic_id, open_only=open_only)
            lines = []
            for alert in found:
                client = await session.get(Client, alert.client_id)
                owner = await session.get(Clinic, alert.clinic_id)
                assert client is not None and owner is not None
                lines.append(_line(alert, client.pseudonym, owner))
            return lines

    for line in run(_list()) or ["no alerts"]:
        typer.echo(line)


async def _actor(session: AsyncSession, by: int | None) -> actions.Actor:
    """Who is acting from the command line, as the audit trail will name them."""
    if by is None:
        return actions.Actor(None, actions.Door.cli)
    return actions.Actor(await staff_service.get(session, staff_id=by), actions.Door.cli)


def _reason(value: str | None) -> ResolutionReason | None:
    if value is None:
        return None
    try:
        return ResolutionReason(value)
    except ValueError:
        choices = ", ".join(r.value for r in ResolutionReason)
        raise InvalidInput(f"unknown reason {value!r}: use one of {choices}") from None


@app.command("ack")
def acknowledge(
    ctx: typer.Context,
    alert_id: int = typer.Argument(..., help="The alert's number."),
    by: int | None = typer.Option(None, help="Staff id of who is taking it."),
) -> None:
    """Acknowledge (take) an alert: someone is on it."""

    async def _ack() -> str:
        async with database(settings_of(ctx)) as session:
            actor = await _actor(session, by)
            alert = await actions.take(session, alert_id=alert_id, actor=actor, now=_now())
            return f"alert {alert.id} acknowledged by {actor.label}"

    typer.echo(run(_ack()))


@app.command("resolve")
def resolve(
    ctx: typer.Context,
    alert_id: int = typer.Argument(..., help="The alert's number."),
    note: str = typer.Option(..., help="What was done, e.g. 'called, safe, seeing GP tomorrow'."),
    reason: str | None = typer.Option(
        None, help="Why it can close: " + ", ".join(r.value for r in ResolutionReason) + "."
    ),
    by: int | None = typer.Option(None, help="Staff id of who is resolving."),
) -> None:
    """Resolve an alert with a note on what was done."""

    async def _resolve() -> str:
        async with database(settings_of(ctx)) as session:
            actor = await _actor(session, by)
            alert = await actions.resolve(
                session,
                alert_id=alert_id,
                actor=actor,
                note=note,
                reason=_reason(reason),
                now=_now(),
            )
            return f"alert {alert.id} resolved by {actor.label}"

    typer.echo(run(_resolve()))


@app.command("show")
def show(
    ctx: typer.Context, alert_id: int = typer.Argument(..., help="The alert's number.")
) -> None:
    """One alert: details, the client's words while they are retained, and the audit trail."""

    async def _show() -> list[str]:
        async with database(settings_of(ctx)) as session:
            alert = await alerts.get(session, alert_id=alert_id)
            client = await session.get(Client, alert.client_id)
            clinic = await session.get(Clinic, alert.clinic_id)
            assert client is not None and clinic is not None
            tz = clinic.timezone
            words = await client_words(session, alert=alert)
            lines = [
                f"alert {alert.id}: {alert.severity} {alert.type} ({alert.status})",
                f"client: {client.pseudonym} (id {client.id}, {client.display_name})",
                f"therapist: {client.therapist.name}",
                f"clinic: {clinic.name} ({tz})",
                f"evidence: {alert.evidence}",
                *await screener_show.alert_lines(session, alert_id=alert.id),
                f"their words: {words}" if words else "their words: not retained or none",
                f"seen: {alert.count}x, first {_local(alert.first_seen_at, tz)}, "
                f"last {_local(alert.last_seen_at, tz)}",
                f"deadline: {_local(alert.deadline_at, tz)}",
                f"acknowledged: {_local(alert.acknowledged_at, tz)} {alert.acknowledged_by or ''}",
                f"resolved: {_local(alert.resolved_at, tz)} {alert.resolved_by or ''}",
                f"note: {alert.resolution_note or '-'}",
                f"reminders: {alert.reminders_sent}, escalated: {_local(alert.escalated_at, tz)}",
                "audit trail:",
            ]
            for event in await alerts.events(session, alert_id=alert.id):
                detail = f": {event.detail}" if event.detail else ""
                lines.append(
                    f"  {_local(event.at, tz)}  {event.action.value}  {event.actor_label}{detail}"
                )
            return lines

    for line in run(_show()):
        typer.echo(line)


def link_code_commands(clinic_app: typer.Typer, staff_app: typer.Typer) -> None:
    """Add `clinic link-code CLINIC` and `staff link-code STAFF_ID` to those command groups."""

    @clinic_app.command("link-code")
    def clinic_link_code(
        ctx: typer.Context, clinic: str = typer.Argument(..., help="Clinic id or name.")
    ) -> None:
        """A single-use code (24 h) to link the clinic's Telegram staff group: /link CODE."""

        async def _issue() -> tuple[str, str]:
            async with database(settings_of(ctx)) as session:
                found = await clinics.get_by_ref(session, ref=clinic)
                return found.name, await staff_link.issue_clinic_code(
                    session, clinic=found, now=_now()
                )

        name, code = run(_issue())
        typer.echo(f"Add the bot to {name}'s staff group, then send there (valid 24 hours):")
        typer.echo(f"/link {code}")

    @staff_app.command("link-code")
    def staff_link_code(
        ctx: typer.Context, staff_id: int = typer.Argument(..., help="Staff id.")
    ) -> None:
        """A single-use code (24 h) for a staff member to link their Telegram: /staff CODE."""

        async def _issue() -> tuple[str, str]:
            async with database(settings_of(ctx)) as session:
                member = await staff_service.get(session, staff_id=staff_id)
                return member.name, await staff_link.issue_staff_code(
                    session, staff=member, now=_now()
                )

        name, code = run(_issue())
        typer.echo(f"{name}: send this in your clinic's staff group (valid 24 hours):")
        typer.echo(f"/staff {code}")
