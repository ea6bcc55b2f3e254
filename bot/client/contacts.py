"""How the clinic reaches a client in an emergency: a phone number and an emergency contact,
both optional, recorded by the therapist at enrolment and shown only to the clinic's staff."""

from __future__ import annotations

import re

from bot.errors import InvalidInput

PHONE_LENGTH = 40
CONTACT_LENGTH = 300
# Digits with the usual separators and an optional leading +, e.g. "+44 7700 900123".
PHONE_SHAPE = re.compile(r"^\+?[0-9][0-9 ().\-/]*$")


def clean_phone(value: str | None) -> str | None:
    """The phone as kept (trimmed), None when blank; InvalidInput when it is not one."""
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > PHONE_LENGTH or not value.isascii() or not PHONE_SHAPE.match(value):
        raise InvalidInput(
            f"{value[:PHONE_LENGTH]!r} is not a phone number: digits, spaces and + ( ) - only, "
            f"at most {PHONE_LENGTH} characters"
        )
    return value


def clean_contact(value: str | None) -> str | None:
    """The emergency contact as kept (a name and how to reach them), None when blank."""
    value = " ".join((value or "").split())
    if not value:
        return None
    if len(value) > CONTACT_LENGTH:
        raise InvalidInput(f"the emergency contact is at most {CONTACT_LENGTH} characters")
    return value
