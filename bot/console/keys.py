"""The console's keys: one that seals TOTP secrets at rest, one that hashes typed emails.

A TOTP secret is stored as `v1:<key id>:<base64url(nonce | AES-256-GCM ciphertext)>`, bound to
its staff member (the associated data), so a copy of the database opens no authenticator and a
sealed secret moved to another person's row does not open. The first key of the keyring seals;
every key in it opens, so a new key can be put first and the old one removed once
`aftercare staff rotate-totp-key` has re-sealed every secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.errors import InvalidInput

KEY_BYTES = 32
NONCE_BYTES = 12
VERSION = "v1"
# Secrets written before sealing existed: base32, as authenticator apps read them.
PLAIN_SECRET = re.compile(r"^[A-Z2-7]+=*$")
# Only for a console nobody else can reach (plain http): anyone can read this line.
DEVELOPMENT_SEED = b"aftercare development key: never for a console served over https"
NEW_KEY_HINT = "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


class UnusableKey(InvalidInput):
    """A key that cannot be used, or a sealed secret no key of the keyring opens."""


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def parse_key(text: str, *, setting: str) -> bytes:
    """32 bytes from base64url text (padding optional); UnusableKey saying what is wrong."""
    text = text.strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES or not text:
        raise UnusableKey(f"{setting} needs 32 random bytes in base64url ({NEW_KEY_HINT})")
    return raw


def development_key(purpose: str) -> bytes:
    return hashlib.sha256(DEVELOPMENT_SEED + b":" + purpose.encode("ascii")).digest()


def key_id(key: bytes) -> str:
    """A short public name for a key (never the key): which key sealed a secret."""
    return hashlib.sha256(b"key id:" + key).hexdigest()[:8]


def is_plain(stored: str) -> bool:
    return PLAIN_SECRET.match(stored) is not None


class Keyring:
    """Seals with the first key, opens with any of them."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise UnusableKey("a keyring needs at least one key")
        self._keys = {key_id(k): AESGCM(k) for k in keys}
        self.current_id = key_id(keys[0])
        self._current = self._keys[self.current_id]

    @classmethod
    def parse(cls, text: str, *, setting: str) -> Keyring:
        return cls([parse_key(part, setting=setting) for part in text.split(",")])

    @staticmethod
    def _bound_to(staff_id: int) -> bytes:
        return f"aftercare totp secret of staff {staff_id}".encode("ascii")

    def seal(self, secret: str, *, staff_id: int) -> str:
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._current.encrypt(nonce, secret.encode("ascii"), self._bound_to(staff_id))
        body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")
        return f"{VERSION}:{self.current_id}:{body}"

    def sealed_with(self, stored: str) -> str | None:
        """The id of the key that sealed `stored`; None for a secret stored in plain text."""
        if is_plain(stored):
            return None
        version, _, rest = stored.partition(":")
        kid, _, _ = rest.partition(":")
        if version != VERSION or not kid:
            raise UnusableKey("a stored TOTP secret has an unknown format")
        return kid

    def open(self, stored: str, *, staff_id: int) -> str:
        """The secret; a plain-text one (stored before sealing) is returned as it is."""
        kid = self.sealed_with(stored)
        if kid is None:
            return stored
        aead = self._keys.get(kid)
        if aead is None:
            raise UnusableKey(
                f"a TOTP secret of staff {staff_id} is sealed with key {kid}, which "
                "TOTP_ENCRYPTION_KEY does not hold: add that key after the current one"
            )
        body = stored.rsplit(":", 1)[1]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            plain = aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], self._bound_to(staff_id))
        except (InvalidTag, binascii.Error, ValueError):
            raise UnusableKey(f"the TOTP secret of staff {staff_id} does not open") from None
        return plain.decode("ascii")

    def is_current(self, stored: str) -> bool:
        return self.sealed_with(stored) == self.current_id


@dataclass(frozen=True)
class Keys:
    """What sign-in needs: the TOTP keyring, and the key for hashing typed emails."""

    totp: Keyring
    email_hash_key: bytes

    def email_hash(self, email: str) -> str:
        """A keyed hash of a typed email: the same text gives the same hash, and no dictionary
        of addresses reverses it without the key."""
        typed = email.strip().lower().encode("utf-8")
        return hmac.new(self.email_hash_key, typed, hashlib.sha256).hexdigest()
