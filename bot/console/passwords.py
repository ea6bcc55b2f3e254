"""Passwords: argon2id hashes, checked in constant time, upgraded when the parameters change.

Hashing and checking take about 100 ms of CPU each, on purpose: the async callers run them on a
small pool of worker threads (argon2 releases the GIL), so the event loop that also runs the bot
and the console's other requests never waits for them.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache, partial

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from bot.errors import InvalidInput

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile (t=3, 64 MiB, p=4).
HASHER = PasswordHasher()
MIN_LENGTH = 12
MAX_LENGTH = 256
# Each hash holds 64 MiB while it runs: a burst of sign-ins queues instead of taking the memory.
WORKERS = 2


@cache
def _workers() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="argon2")


def check_new_password(password: str, *, email: str | None) -> str:
    """The password if it may be used; InvalidInput saying what to change if not."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"a password can have at most {MAX_LENGTH} characters")
    if not password.strip():
        raise InvalidInput("a password can't be only spaces")
    if email and password.strip().lower() == email.strip().lower():
        raise InvalidInput("a password can't be the email address")
    return password


def hash_password(password: str) -> str:
    """The argon2id hash, on this thread (it blocks for about 100 ms: see `new_hash`)."""
    return HASHER.hash(password)


async def new_hash(password: str) -> str:
    """The argon2id hash, made on a worker thread."""
    return await asyncio.get_running_loop().run_in_executor(_workers(), hash_password, password)


@dataclass(frozen=True)
class Checked:
    """Whether the password matched, and a stronger hash to store in place of the old one."""

    ok: bool
    new_hash: str | None = None


@cache
def _stand_in_hash() -> str:
    return HASHER.hash("a password nobody has: it only makes unknown emails take as long")


async def check_password(stored_hash: str | None, password: str) -> Checked:
    """Check `password` on a worker thread; with no stored hash, a stand-in is checked so the
    time taken tells nothing."""
    check = partial(_check, stored_hash, password)
    return await asyncio.get_running_loop().run_in_executor(_workers(), check)


def _check(stored_hash: str | None, password: str) -> Checked:
    try:
        HASHER.verify(stored_hash or _stand_in_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return Checked(ok=False)
    if stored_hash is None:
        return Checked(ok=False)
    stronger = hash_password(password) if HASHER.check_needs_rehash(stored_hash) else None
    return Checked(ok=True, new_hash=stronger)
