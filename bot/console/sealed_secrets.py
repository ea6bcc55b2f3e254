"""Every stored TOTP secret sealed again with the keyring's current key (rotating the key).

Staff members' secrets, those offered by invites still open, and those offered to half-signed-in
sessions: each is opened with whichever key sealed it (or read as plain text, from before
sealing) and sealed with the first key, in one transaction. Afterwards no secret needs an older
key, so it can be taken out of TOTP_ENCRYPTION_KEY.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.console.keys import Keyring
from bot.console.models import ConsoleSession, StaffInvite
from bot.staff.models import Staff


@dataclass
class Resealed:
    """How many secrets were sealed again, by what held them before."""

    from_older_key: int = 0
    from_plain_text: int = 0
    already_current: int = 0

    @property
    def total(self) -> int:
        return self.from_older_key + self.from_plain_text + self.already_current


def _reseal(keyring: Keyring, stored: str, staff_id: int, tally: Resealed) -> str:
    if keyring.is_current(stored):
        tally.already_current += 1
        return stored
    if keyring.sealed_with(stored) is None:
        tally.from_plain_text += 1
    else:
        tally.from_older_key += 1
    return keyring.seal(keyring.open(stored, staff_id=staff_id), staff_id=staff_id)


async def reseal_all(db: AsyncSession, *, keyring: Keyring) -> Resealed:
    """Seal every stored TOTP secret with the current key; UnusableKey if one does not open."""
    tally = Resealed()
    for staff in await db.scalars(select(Staff).where(Staff.totp_secret.is_not(None))):
        assert staff.totp_secret is not None
        staff.totp_secret = _reseal(keyring, staff.totp_secret, staff.id, tally)
    for invite in await db.scalars(select(StaffInvite).where(StaffInvite.totp_secret.is_not(None))):
        assert invite.totp_secret is not None
        invite.totp_secret = _reseal(keyring, invite.totp_secret, invite.staff_id, tally)
    for row in await db.scalars(
        select(ConsoleSession).where(ConsoleSession.enrolment_secret.is_not(None))
    ):
        assert row.enrolment_secret is not None
        row.enrolment_secret = _reseal(keyring, row.enrolment_secret, row.staff_id, tally)
    await db.flush()
    return tally
