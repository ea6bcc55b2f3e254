"""`aftercare screeners`: the clinic's CSV for outcome reporting and its screener settings; and
`aftercare client update` for a client's screener plan."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import typer

from bot.audit import service as audit
from bot.audit.models import AuditAction
from bot.cli.common import CliError, database, run, settings_of
from bot.clinic import service as clinics
from bot.screener import plans, report
from bot.screener.models import families_of
from bot.screener.plans import PlanChange

app = typer.Typer(
    help="Validated screeners: outcome reporting, clinic settings.", no_args_is_help=True
)


def _now() -> datetime:
    return datetime.now(UTC)


def plan_change(
    screeners: str | None,
    audit_c_cutoff: str | None,
    ending_phq9: int | None,
    ending_gad7: int | None,
) -> PlanChange | None:
    """The screener options of `client add` / `client update`; None when none was given."""
    endings = {
        form: total
        for form, total in (("phq9", ending_phq9), ("gad7", ending_gad7))
        if total is not None
    }
    if screeners is None and audit_c_cutoff is None and not endings:
        return None
    return PlanChange(
        families=plans.parse_families(screeners) if screeners is not None else None,
        audit_c_cutoff=audit_c_cutoff,
        ending_totals=dict(endings) or None,
    )


def one_family(screener: str | None) -> str | None:
    """`checkin send-now --screener phq`: exactly one family, or None without the option."""
    if screener is None:
        return None
    families = plans.parse_families(screener)
    if len(families) != 1:
        raise CliError(f"--screener takes one screener, e.g. phq or gad, not {screener!r}")
    return families[0]


SCREENERS_HELP = "Screeners riding on check-ins, e.g. phq,gad (also audit_c; none: off)."
CUTOFF_HELP = "The AUDIT-C's published cut-off: men (4) or women (3)."
ENDING_PHQ9_HELP = "The PHQ-9 total at the end of therapy (0-27), for reliable change."
ENDING_GAD7_HELP = "The GAD-7 total at the end of therapy (0-21), for reliable change."


def _since(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"--since {text!r} is not a date like 2026-01-31") from None


@app.command("export")
def export_csv(
    ctx: typer.Context,
    clinic: str = typer.Option(..., help="Clinic id or name."),
    since: str = typer.Option(..., help="Administrations sent on or after this date (UTC)."),
    output: Path | None = typer.Option(None, help="Write here instead of to standard output."),
) -> None:
    """One CSV row per screener administration: pseudonym, dates, items and totals."""
    start = _since(since)

    async def _export() -> tuple[list[list[str]], str]:
        async with database(settings_of(ctx)) as session:
            found = await clinics.get_by_ref(session, ref=clinic)
            table = await report.rows(session, clinic_id=found.id, since=start)
            audit.record(
                session,
                actor=audit.CLI,
                action=AuditAction.screeners_exported,
                now=_now(),
                target=f"clinic {found.id}",
                detail=f"since {start.isoformat()}: {len(table)} administrations",
                clinic_id=found.id,
            )
            return table, found.name

    table, name = run(_export())
    if output is None:
        report.write(sys.stdout, table)
        return
    with output.open("w", encoding="utf-8", newline="") as stream:
        count = report.write(stream, table)
    typer.echo(f"{count} administrations of {name} since {start.isoformat()} written to {output}")


@app.command("clinic")
def clinic_settings(
    ctx: typer.Context,
    clinic: str = typer.Argument(..., help="Clinic id or name."),
    new_clients: str | None = typer.Option(
        None, help="Screeners new clients get at enrolment, e.g. phq,gad (none: off)."
    ),
    item9_urgent: bool | None = typer.Option(
        None,
        "--item9-urgent/--item9-by-answer",
        help="Any PHQ-9 item 9 answer above 'Not at all' takes the crisis path at once.",
    ),
) -> None:
    """Show (or change) the clinic's screener settings."""
    families = plans.parse_families(new_clients) if new_clients is not None else None

    async def _settings() -> str:
        async with database(settings_of(ctx)) as session:
            found = await clinics.get_by_ref(session, ref=clinic)
            if families is None and item9_urgent is None:
                settings = await plans.clinic_settings(session, clinic_id=found.id)
            else:
                settings = await plans.change_clinic_settings(
                    session,
                    clinic_id=found.id,
                    families=families,
                    item9_any_positive_urgent=item9_urgent,
                )
                audit.record(
                    session,
                    actor=audit.CLI,
                    action=AuditAction.clinic_settings_changed,
                    now=_now(),
                    target=f"clinic {found.id}",
                    detail=(
                        f"screeners for new clients: {settings.families_for_new_clients or 'none'}"
                        f"; item 9 any positive urgent: {settings.item9_any_positive_urgent}"
                    ),
                    clinic_id=found.id,
                )
            item9 = (
                "any answer above 'Not at all' is urgent"
                if settings.item9_any_positive_urgent
                else "by its answer (see docs/escalation-policy.md)"
            )
            return (
                f"{found.name}: new clients get "
                f"{', '.join(families_of(settings.families_for_new_clients)) or 'no screeners'}; "
                f"PHQ-9 item 9: {item9}"
            )

    typer.echo(run(_settings()))
