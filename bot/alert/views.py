"""Building what staff messages may show about an alert, and who the clinic's admins are."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert import links
from bot.alert.delivery import AlertView, StaffContact
from bot.alert.models import Alert
from bot.checkin.models import Checkin
from bot.client.models import Client
from bot.clinic.models import Clinic
from bot.conversation.models import ClientMessage
from bot.staff.models import Staff, StaffRole


async def client_words(session: AsyncSession, *, alert: Alert) -> str | None:
    """The client's own words behind the alert, while they are still retained."""
    if alert.evidence_message_id is not None:
        message = await session.get(ClientMessage, alert.evidence_message_id)
        if message is not None and message.text:
            return message.text
    if alert.evidence_checkin_id is not None:
        checkin = await session.get(Checkin, alert.evidence_checkin_id)
        if checkin is not None and checkin.note:
            return checkin.note
    return None


async def build_view(session: AsyncSession, *, alert: Alert) -> AlertView:
    """The alert as staff may see it in the group."""
    clinic = await session.get(Clinic, alert.clinic_id)
    client = await session.get(Client, alert.client_id)
    assert clinic is not None and client is not None
    words = await client_words(session, alert=alert) if clinic.share_client_words else None
    return AlertView(
        alert_id=alert.id,
        clinic_name=clinic.name,
        staff_chat_id=clinic.staff_chat_id,
        staff_message_id=alert.staff_message_id,
        client_pseudonym=client.pseudonym,
        severity=alert.severity,
        type=alert.type,
        status=alert.status,
        count=alert.count,
        deadline_at=alert.deadline_at,
        clinic_timezone=clinic.timezone,
        acknowledged_by=alert.acknowledged_by,
        resolved_by=alert.resolved_by,
        client_words=words,
        console_url=links.alert_page(alert.id),
    )


async def clinic_admins(session: AsyncSession, *, clinic_id: int) -> list[StaffContact]:
    """Every active clinic admin, linked to Telegram or not."""
    admins = await session.scalars(
        select(Staff)
        .where(
            Staff.clinic_id == clinic_id,
            Staff.role == StaffRole.clinic_admin,
            Staff.deactivated_at.is_(None),
        )
        .order_by(Staff.id)
    )
    return [StaffContact(a.id, a.name, a.telegram_user_id) for a in admins]
