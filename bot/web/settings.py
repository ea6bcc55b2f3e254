"""The console's view of the one `Settings`: the web fields live there; this adds what follows.

Like the other secrets, the sign-in keys have no default a deployment could keep by mistake: a
console served over https refuses to start without them. Over plain http (a console on this
machine, or the tests) a development key stands in, which anyone can read in the source.
"""

from __future__ import annotations

import ipaddress
import logging
from datetime import timedelta
from functools import cached_property

from pydantic import SecretStr, ValidationInfo, field_validator

from bot.config import Settings
from bot.console import keys
from bot.console.sessions import Limits

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _served_over_https(info: ValidationInfo) -> bool:
    return str(info.data.get("web_public_url") or "").startswith("https://")


def parse_networks(text: str) -> list[Network]:
    """IPs and networks, comma-separated; ValueError naming the entry that is neither."""
    networks = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"{entry!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/8)"
            ) from None
    return networks


class WebSettings(Settings):
    @classmethod
    def of(cls, settings: Settings) -> WebSettings:
        """The same values, checked for the console, without reading the environment again."""
        return cls.model_validate(settings.model_dump())

    @field_validator("web_trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        parse_networks(value)
        return value

    @field_validator("totp_encryption_key", "sign_in_hash_key")
    @classmethod
    def _key_outside_development(
        cls, value: SecretStr | None, info: ValidationInfo
    ) -> SecretStr | None:
        setting = (info.field_name or "").upper()
        if value is None or not value.get_secret_value().strip():
            if _served_over_https(info):
                raise ValueError(
                    f"{setting} must be set for a console served over https ({keys.NEW_KEY_HINT})"
                )
            return None
        if setting == "TOTP_ENCRYPTION_KEY":
            keys.Keyring.parse(value.get_secret_value(), setting=setting)
        else:
            keys.parse_key(value.get_secret_value(), setting=setting)
        return value

    @property
    def secure(self) -> bool:
        """Served over HTTPS: cookies get Secure and the __Host- prefix."""
        return self.public_url.startswith("https://")

    @property
    def public_origin(self) -> str:
        scheme, _, rest = self.public_url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"

    @property
    def session_limits(self) -> Limits:
        return Limits(
            idle=timedelta(minutes=self.web_session_idle_minutes),
            absolute=timedelta(hours=self.web_session_max_hours),
        )

    @cached_property
    def trusted_proxies(self) -> list[Network]:
        return parse_networks(self.web_trusted_proxies)

    @cached_property
    def console_keys(self) -> keys.Keys:
        """The sign-in keys (development keys over plain http when they are not set)."""
        if self.totp_encryption_key is None or self.sign_in_hash_key is None:
            logger.warning(
                "TOTP_ENCRYPTION_KEY or SIGN_IN_HASH_KEY is not set: using the development key, "
                "fit only for a console nobody else can reach"
            )
        configured = (
            [
                keys.parse_key(part, setting="TOTP_ENCRYPTION_KEY")
                for part in self.totp_encryption_key.get_secret_value().split(",")
            ]
            if self.totp_encryption_key is not None
            else []
        )
        # Last, to open only: secrets set up while trying the console over http stay readable
        # until `aftercare staff rotate-totp-key` seals them with the first key.
        totp = keys.Keyring([*configured, keys.development_key("totp")])
        email_hash_key = (
            keys.parse_key(self.sign_in_hash_key.get_secret_value(), setting="SIGN_IN_HASH_KEY")
            if self.sign_in_hash_key is not None
            else keys.development_key("email hash")
        )
        return keys.Keys(totp=totp, email_hash_key=email_hash_key)
