"""Link codes: single use, 24 hours, hashed, and never moving a group or account silently."""

from __future__ import annotations

from datetime import timedelta

from bot.alert import staff_link
from bot.alert.staff_link import LinkProblem
from bot.clinic.models import Clinic
from bot.database.core import SessionMaker
from bot.staff.models import Staff
from tests.alert.conftest import NOW, World
from tests.factories import make_clinic, make_therapist


async def test_a_clinic_code_links_once_and_only_within_a_day(
    sessionmaker: SessionMaker, world: World
) -> None:
    async with sessionmaker.begin() as session:
        clinic = await session.get(Clinic, world.clinic_id)
        assert clinic is not None
        old = await staff_link.issue_clinic_code(session, clinic=clinic, now=NOW)
        code = await staff_link.issue_clinic_code(session, clinic=clinic, now=NOW)
        assert clinic.link_code_hash == staff_link.hash_code(code) and code not in (
            clinic.link_code_hash or ""
        )
        replaced = await staff_link.link_group(session, code=old, chat_id=-5, now=NOW)
        assert replaced.problem is LinkProblem.unknown
        late = NOW + timedelta(hours=24)
        expired = await staff_link.link_group(session, code=code, chat_id=-5, now=late)
        assert expired.problem is LinkProblem.expired
        linked = await staff_link.link_group(session, code=code, chat_id=-5, now=NOW)
        assert linked.clinic_name == "Riverside Clinic" and clinic.staff_chat_id == -5
        again = await staff_link.link_group(session, code=code, chat_id=-6, now=NOW)
        assert again.problem is LinkProblem.unknown and clinic.staff_chat_id == -5


async def test_a_group_or_account_already_in_use_is_not_taken_over(
    sessionmaker: SessionMaker, world: World
) -> None:
    async with sessionmaker.begin() as session:
        other = await make_clinic(session, name="Hillside")
        code = await staff_link.issue_clinic_code(session, clinic=other, now=NOW)
        taken = await staff_link.link_group(session, code=code, chat_id=-1001, now=NOW)
        assert taken.problem is LinkProblem.group_taken and other.staff_chat_id is None
        newcomer = await make_therapist(
            session, await session.get_one(Clinic, world.clinic_id), "Dr New"
        )
        staff_code = await staff_link.issue_staff_code(session, staff=newcomer, now=NOW)
        # 7001 is already Dr Ana Rivera's account.
        clash = await staff_link.link_staff(
            session, code=staff_code, chat_id=-1001, telegram_user_id=7001, now=NOW
        )
        assert clash.problem is LinkProblem.account_taken and newcomer.telegram_user_id is None
        done = await staff_link.link_staff(
            session, code=staff_code, chat_id=-1001, telegram_user_id=7100, now=NOW
        )
        assert done.staff_name == "Dr New" and newcomer.telegram_user_id == 7100
        ana = await session.get(Staff, world.therapist_id)
        assert ana is not None and ana.telegram_user_id == 7001
