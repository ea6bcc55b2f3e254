"""The sign-in keys and trusted proxies as settings, reading the client's address, and what the
audit log keeps of a typed email."""

from __future__ import annotations

import ipaddress

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.console import keys
from bot.services import Services
from bot.web.security import client_address
from bot.web.settings import WebSettings, parse_networks
from tests.web.conftest import Browser, Worlds

PROXIES = parse_networks("10.0.0.0/8, 192.0.2.1, 2001:db8::/32")


def _web(**values: str) -> WebSettings:
    return WebSettings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize("missing", ["totp_encryption_key", "sign_in_hash_key"])
def test_a_console_served_over_https_refuses_to_start_without_its_keys(missing: str) -> None:
    given = {"totp_encryption_key": keys.new_key(), "sign_in_hash_key": keys.new_key()}
    del given[missing]
    with pytest.raises(ValidationError) as refused:
        _web(web_public_url="https://console.example", **given)
    error = refused.value.errors()[0]
    assert error["loc"] == (missing,)
    assert f"{missing.upper()} must be set for a console served over https" in error["msg"]
    assert "secrets.token_urlsafe(32)" in error["msg"]


def test_over_plain_http_the_development_keys_stand_in() -> None:
    web = _web(web_public_url="http://127.0.0.1:8000")
    development = keys.Keyring([keys.development_key("totp")])
    assert web.console_keys.totp.current_id == development.current_id
    configured = _web(totp_encryption_key=keys.new_key(), sign_in_hash_key=keys.new_key())
    assert configured.console_keys.totp.current_id != development.current_id
    assert configured.console_keys.email_hash("a@b.c") != web.console_keys.email_hash("a@b.c")


def test_keys_and_proxies_that_cannot_be_used_are_refused_with_what_to_do() -> None:
    with pytest.raises(ValidationError, match="needs 32 random bytes in base64url"):
        _web(totp_encryption_key="changethis")
    with pytest.raises(ValidationError, match="needs 32 random bytes in base64url"):
        _web(totp_encryption_key=f"{keys.new_key()},short")
    with pytest.raises(ValidationError, match="needs 32 random bytes in base64url"):
        _web(sign_in_hash_key="x" * 10)
    with pytest.raises(ValidationError, match=r"'proxy\.internal' is not an IP address"):
        _web(web_trusted_proxies="10.0.0.1, proxy.internal")


def test_the_check_also_runs_on_settings_read_for_the_bot() -> None:
    from bot.config import Settings

    settings = Settings(_env_file=None, web_public_url="https://console.example")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="TOTP_ENCRYPTION_KEY must be set"):
        WebSettings.of(settings)


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        # An untrusted peer: its header is ignored, whatever it says.
        ("198.51.100.7", ["203.0.113.9"], "198.51.100.7"),
        ("198.51.100.7", [], "198.51.100.7"),
        # A trusted peer: the nearest hop it vouches for that is not a proxy itself.
        ("10.1.2.3", ["203.0.113.9"], "203.0.113.9"),
        ("10.1.2.3", ["6.6.6.6, 203.0.113.9, 192.0.2.1"], "203.0.113.9"),
        ("10.1.2.3", ["6.6.6.6", "203.0.113.9, 10.0.0.2"], "203.0.113.9"),
        ("10.1.2.3", ["[2001:db8:ffff::1]:443, 203.0.113.9:5050"], "203.0.113.9"),
        ("2001:db8::5", ["2a00:1450::1"], "2a00:1450::1"),
        ("::ffff:10.0.0.9", ["203.0.113.9"], "203.0.113.9"),
        # Every hop a proxy: the farthest one.
        ("10.1.2.3", ["10.0.0.7, 192.0.2.1"], "10.0.0.7"),
        # Garbage from a trusted proxy: go no further than the last trusted hop.
        ("10.1.2.3", ["203.0.113.9, not-an-ip"], "10.1.2.3"),
        ("10.1.2.3", [], "10.1.2.3"),
        (None, ["203.0.113.9"], "unknown"),
    ],
)
def test_the_client_address_comes_from_x_forwarded_for_only_through_a_trusted_proxy(
    peer: str | None, forwarded: list[str], expected: str
) -> None:
    assert client_address(peer, forwarded, PROXIES) == expected


def test_with_no_trusted_proxies_the_peer_is_the_client() -> None:
    assert client_address("127.0.0.1", ["203.0.113.9"], []) == "127.0.0.1"
    assert parse_networks("") == []
    assert parse_networks(" 10.0.0.1 ,") == [ipaddress.ip_network("10.0.0.1")]


async def test_the_audit_log_keeps_a_typed_email_only_when_it_names_an_account(
    browser: Browser, services: Services, worlds: Worlds, web_settings: WebSettings
) -> None:
    known = worlds.home.emails["duty"]
    typed = ["Nobody@Riverside.test", "nobody@riverside.test ", "my password is hunter2", known]
    for email in typed:
        await browser.sign_in(email, "not the password at all")
    async with services.sessionmaker() as session:
        details = list(
            await session.scalars(
                select(AuditEntry.detail)
                .where(AuditEntry.action == "sign_in_failed")
                .order_by(AuditEntry.id)
            )
        )
    probe, same_probe, stray, account = details
    assert account == known
    key = web_settings.console_keys
    assert probe == same_probe == f"no account: #{key.email_hash('nobody@riverside.test')[:16]}"
    assert stray == f"no account: #{key.email_hash('my password is hunter2')[:16]}"
    assert probe != stray
    joined = " ".join(details)
    assert "nobody" not in joined.lower() and "hunter2" not in joined
