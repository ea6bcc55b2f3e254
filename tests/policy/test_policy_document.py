"""The policy a clinical lead signs is the policy the code runs."""

from __future__ import annotations

from bot.policy.document import DOCUMENT, render


def test_committed_policy_document_matches_the_code() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == render(), (
        "docs/escalation-policy.md is out of date: run `python -m bot.policy.document`"
    )
