"""One-time codes (invite links, group and staff linking): random, and stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

# 160 bits; base64url gives 27 characters, well inside Telegram's 64 for /start.
CODE_BYTES = 20


def new_code() -> tuple[str, str]:
    """A fresh code and the hash to store in its place."""
    code = secrets.token_urlsafe(CODE_BYTES)
    return code, hash_code(code)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()
