"""Claiming rows for work so that concurrent workers (and processes) never take the same one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, update
from sqlalchemy.ext.asyncio import AsyncSession


async def claim(
    session: AsyncSession,
    model: Any,
    due: Select[Any],
    *,
    still: ColumnElement[bool],
    values: dict[str, Any],
    returning: Any = None,
) -> list[Any]:
    """Set `values` on the rows whose ids `due` selects (FOR UPDATE SKIP LOCKED) and that `still`
    match; returns their ids (or `returning`, e.g. the whole claimed rows, saving a reload).

    On PostgreSQL, SKIP LOCKED lets concurrent workers take disjoint rows; on SQLite one
    UPDATE ... WHERE id IN (SELECT ...) is atomic because SQLite serialises writers.
    """
    if session.bind.dialect.name == "postgresql":
        # Lock first, then update by id: a locking subquery inside UPDATE may be re-run per row.
        candidates = list(await session.scalars(due))
        if not candidates:
            return []
        target = model.id.in_(candidates)
    else:
        target = model.id.in_(due.scalar_subquery())
    claimed = await session.scalars(
        update(model)
        .where(target, still)
        .values(**values)
        .returning(model.id if returning is None else returning)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return list(claimed)
