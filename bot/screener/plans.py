"""A client's screener plan (which instruments ride on their check-ins, the AUDIT-C cut-off, the
end-of-therapy totals) and the clinic's screener settings.

Existing clients have no plan, so screeners are off for them; new clients get the clinic's
default at enrolment. Every change is checked here, for every door (CLI, console).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.models import Client
from bot.errors import InvalidInput
from bot.screener.instrument import instruments
from bot.screener.models import ClinicScreenerSettings, ScreenerPlan, families_of, families_text

NONE_WORDS = ("", "none", "off")
ALIASES = {"audit-c": "audit_c", "auditc": "audit_c"}


def parse_families(text: str) -> list[str]:
    """ "phq,gad" -> ["phq", "gad"], in the order they are asked; "none" -> []."""
    if text.strip().lower() in NONE_WORDS:
        return []
    known = instruments()
    chosen = []
    for part in text.split(","):
        name = ALIASES.get(part.strip().lower(), part.strip().lower())
        if name not in known:
            raise InvalidInput(
                f"unknown screener {part.strip()!r}: use any of {', '.join(known)} (or none)"
            )
        chosen.append(name)
    return [family for family in known if family in chosen]


def cutoff_groups() -> list[str]:
    return sorted({group for i in instruments().values() for f in i.forms for group in f.cutoffs})


def full_forms() -> dict[str, int]:
    """Forms whose end-of-therapy total may be entered, with their highest possible total."""
    found = {}
    for instrument in instruments().values():
        for form in instrument.forms:
            if form.reliable_change is not None:
                items = instrument.items[: form.items]
                found[form.key] = sum(len(instrument.answers_of(item)) - 1 for item in items)
    return found


@dataclass(frozen=True)
class PlanChange:
    """What a therapist sets; None leaves a part as it is."""

    families: list[str] | None = None
    audit_c_cutoff: str | None = None
    # {"phq9": 8}; a value of None removes that total.
    ending_totals: dict[str, int | None] | None = None


def _checked(plan: ScreenerPlan, change: PlanChange) -> None:
    if change.families is not None:
        unknown = [f for f in change.families if f not in instruments()]
        if unknown:
            raise InvalidInput(f"unknown screener {unknown[0]!r}")
        # Kept in the order they are asked, each once.
        plan.families = families_text([f for f in instruments() if f in change.families])
    if change.audit_c_cutoff is not None:
        if change.audit_c_cutoff not in cutoff_groups():
            raise InvalidInput(
                f"unknown AUDIT-C cut-off {change.audit_c_cutoff!r}: use "
                + " or ".join(cutoff_groups())
            )
        plan.audit_c_cutoff = change.audit_c_cutoff
    if change.ending_totals:
        limits = full_forms()
        totals = dict(plan.ending_totals or {})
        for form, total in change.ending_totals.items():
            if form not in limits:
                raise InvalidInput(f"an ending total is kept for {', '.join(limits)}, not {form}")
            if total is None:
                totals.pop(form, None)
            elif not 0 <= total <= limits[form]:
                raise InvalidInput(f"a {form} total is 0-{limits[form]}, not {total}")
            else:
                totals[form] = total
        # A new dict, so the JSON column is seen to change.
        plan.ending_totals = totals
    if "audit_c" in families_of(plan.families) and plan.audit_c_cutoff is None:
        raise InvalidInput(
            "the AUDIT-C needs its published cut-off: add --audit-c-cutoff "
            + " or ".join(cutoff_groups())
        )


async def get(session: AsyncSession, *, client_id: int) -> ScreenerPlan | None:
    return await session.get(ScreenerPlan, client_id)


async def start(
    session: AsyncSession, *, client: Client, change: PlanChange | None, now: datetime
) -> ScreenerPlan:
    """At enrolment: the therapist's choice, or else the clinic's default for new clients (an
    AUDIT-C in the default without a cut-off waits for the therapist to choose one)."""
    change = change or PlanChange()
    if change.families is None:
        settings = await clinic_settings(session, clinic_id=client.clinic_id)
        default = families_of(settings.families_for_new_clients)
        if "audit_c" in default and change.audit_c_cutoff is None:
            default.remove("audit_c")
        change = PlanChange(default, change.audit_c_cutoff, change.ending_totals)
    plan = ScreenerPlan(client_id=client.id, families="", ending_totals={}, updated_at=now)
    _checked(plan, change)
    session.add(plan)
    await session.flush()
    return plan


async def change(
    session: AsyncSession, *, client: Client, change: PlanChange, now: datetime
) -> ScreenerPlan:
    """A changed plan (created for a client who had none)."""
    plan = await get(session, client_id=client.id)
    if plan is None:
        plan = ScreenerPlan(client_id=client.id, families="", ending_totals={})
        session.add(plan)
    _checked(plan, change)
    plan.updated_at = now
    await session.flush()
    return plan


async def clinic_settings(session: AsyncSession, *, clinic_id: int) -> ClinicScreenerSettings:
    """The clinic's settings, or the defaults (none for new clients, item 9 by its answer)."""
    found = await session.get(ClinicScreenerSettings, clinic_id)
    return found or ClinicScreenerSettings(
        clinic_id=clinic_id, families_for_new_clients="", item9_any_positive_urgent=False
    )


async def change_clinic_settings(
    session: AsyncSession,
    *,
    clinic_id: int,
    families: list[str] | None = None,
    item9_any_positive_urgent: bool | None = None,
) -> ClinicScreenerSettings:
    found = await session.get(ClinicScreenerSettings, clinic_id)
    if found is None:
        found = ClinicScreenerSettings(
            clinic_id=clinic_id, families_for_new_clients="", item9_any_positive_urgent=False
        )
        session.add(found)
    if families is not None:
        found.families_for_new_clients = families_text(families)
    if item9_any_positive_urgent is not None:
        found.item9_any_positive_urgent = item9_any_positive_urgent
    await session.flush()
    return found
