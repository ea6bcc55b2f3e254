"""Time-based one-time codes (RFC 6238), as authenticator apps make them, and their QR code."""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp
import segno

ISSUER = "aftercare"
STEP_SECONDS = 30
# A code from the step before or after is still accepted: phones' clocks drift.
DRIFT_STEPS = 1


def new_secret() -> str:
    """160 random bits in base32, as authenticator apps expect."""
    return pyotp.random_base32()


def setup_uri(secret: str, *, email: str, clinic: str) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=f"{ISSUER} ({clinic})")


def qr_svg(uri: str) -> str:
    """The setup link as an inline SVG QR code (made on the server: no script needed)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2)


def matching_step(secret: str, code: str, *, now: datetime) -> int | None:
    """The newest time step, within the drift either side of `now`, whose code is `code`.

    The caller compares it with the last step used: a code seen over someone's shoulder must
    work only once.
    """
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current + DRIFT_STEPS, current - DRIFT_STEPS - 1, -1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None
