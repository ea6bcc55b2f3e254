"""The database's own clock, for what several processes must agree on (who still holds a row):
each process's clock may be off, the database's is one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import DateTime, Float, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

# SQLite keeps times as text in SQLAlchemy's layout (microseconds, six digits): the database's
# time in the same layout compares correctly as text.
SQLITE_LAYOUT = "%Y-%m-%d %H:%M:%f000"


class DatabaseNow(FunctionElement[Any]):
    """The database's current time."""

    type = DateTime(timezone=True)
    inherit_cache = True


class DatabaseAgo(FunctionElement[Any]):
    """The database's time `seconds` (a bound parameter's name) ago."""

    type = DateTime(timezone=True)
    inherit_cache = True

    def __init__(self, parameter: str) -> None:
        super().__init__(bindparam(parameter, type_=Float()))


@compiles(DatabaseNow, "postgresql")
def _postgresql_now(element: DatabaseNow, compiler: Any, **kw: Any) -> str:
    return "clock_timestamp()"


@compiles(DatabaseNow, "sqlite")
def _sqlite_now(element: DatabaseNow, compiler: Any, **kw: Any) -> str:
    return f"strftime('{SQLITE_LAYOUT}', 'now')"


@compiles(DatabaseAgo, "postgresql")
def _postgresql_ago(element: DatabaseAgo, compiler: Any, **kw: Any) -> str:
    seconds = compiler.process(element.clauses, **kw)
    return f"(clock_timestamp() - make_interval(secs => {seconds}))"


@compiles(DatabaseAgo, "sqlite")
def _sqlite_ago(element: DatabaseAgo, compiler: Any, **kw: Any) -> str:
    seconds = compiler.process(element.clauses, **kw)
    return f"strftime('{SQLITE_LAYOUT}', 'now', '-' || {seconds} || ' seconds')"
