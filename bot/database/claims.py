"""Claiming rows for work so that concurrent workers (and processes) never take the same one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

CLAIMED_IDS = "claimed_ids"


class Claim:
    """The statements of one kind of claim, built once: a claim that runs for every message would
    otherwise spend more CPU building its SQL than the database spends running it.

    `due` selects the ids to take (FOR UPDATE SKIP LOCKED); `still` must hold for each when it is
    updated with `values`. Both may use bound parameters, given to `run`.
    """

    def __init__(
        self,
        model: Any,
        due: Select[Any],
        *,
        still: ColumnElement[bool],
        values: dict[str, Any],
        returning: Any = None,
    ) -> None:
        self.due = due
        returned = model.id if returning is None else returning
        options = {"synchronize_session": False, "populate_existing": True}
        # SQLite serialises writers, so one UPDATE ... WHERE id IN (SELECT ...) is atomic.
        self.in_one = (
            update(model)
            .where(model.id.in_(due.scalar_subquery()), still)
            .values(**values)
            .returning(returned)
            .execution_options(**options)
        )
        # PostgreSQL: lock first, then update by id (a locking subquery in UPDATE may run per row).
        self.by_ids = (
            update(model)
            .where(model.id.in_(bindparam(CLAIMED_IDS, expanding=True)), still)
            .values(**values)
            .returning(returned)
            .execution_options(**options)
        )

    async def run(self, session: AsyncSession, params: dict[str, Any] | None = None) -> list[Any]:
        """Set the values on the due rows that still match; returns their ids (or `returning`,
        e.g. the whole claimed rows, saving a reload)."""
        params = params or {}
        if session.bind.dialect.name == "postgresql":
            candidates = list(await session.scalars(self.due, params))
            if not candidates:
                return []
            return list(await session.scalars(self.by_ids, {**params, CLAIMED_IDS: candidates}))
        return list(await session.scalars(self.in_one, params))


async def claim(
    session: AsyncSession,
    model: Any,
    due: Select[Any],
    *,
    still: ColumnElement[bool],
    values: dict[str, Any],
    returning: Any = None,
) -> list[Any]:
    """A claim built for this one call (for claims that run now and then, not per message)."""
    return await Claim(model, due, still=still, values=values, returning=returning).run(session)
