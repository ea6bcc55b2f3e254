"""Praise only on a sure reading: a good mood with a flat, hopeless or hedging word gets a neutral
acknowledgement, never "Glad things feel good"."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.nlu.service import Understander
from bot.nlu.understanding import Risk, Understanding
from bot.policy.decide import decide_message
from bot.policy.rules import Reply
from bot.texts import dialogue as text
from tests.telegram.harness import Harness

CHAT = 67001
HEDGED = "things feel good i guess, kind of pointless though"
SURE = "things are going really well this week"


class ReadsAsGoodMood:
    """The real understander, except that these messages read as a confident good mood (the
    classifier's own readings are tested in tests/nlu)."""

    def __init__(self, real: Understander, phrases: set[str]) -> None:
        self.real, self.phrases = real, phrases

    async def understand(
        self,
        text: str,
        *,
        language: str | None = None,
        warning_signs: Sequence[str] = (),
        triggers: Sequence[str] = (),
    ) -> Understanding:
        if text in self.phrases:
            return Understanding(
                intent="mood_good", confidence=0.95, risk=Risk.none, source="embedded"
            )
        return await self.real.understand(
            text, language=language, warning_signs=warning_signs, triggers=triggers
        )


def praise_texts(name: str) -> set[str]:
    return {line.format(name=name) for line in text.MOOD_GOOD}


def test_the_policy_acknowledges_a_good_mood_that_is_not_surely_positive() -> None:
    reading = Understanding(intent="mood_good", confidence=0.95, risk=Risk.none, source="embedded")
    sure = decide_message(reading, known=True, ended=False, threshold_met=False)
    unsure = decide_message(
        reading, known=True, ended=False, threshold_met=False, sure_positive=False
    )
    assert (sure.reply, unsure.reply) == (Reply.ordinary, Reply.acknowledge)


@pytest.mark.parametrize(("message", "praised"), [(HEDGED, False), (SURE, True)])
async def test_praise_only_when_the_message_is_surely_positive(
    harness: Harness, message: str, praised: bool
) -> None:
    harness.services.understander = ReadsAsGoodMood(  # type: ignore[assignment]
        harness.services.understander, {HEDGED, SURE}
    )
    await harness.join(CHAT)
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, message)
    await harness.fake.wait_for(lambda: harness.sent_count(CHAT) > before, what="a reply")
    [reply] = harness.texts(CHAT)[before:]
    assert (reply in praise_texts("Sam")) is praised
    if not praised:
        assert reply in {line.format(name="Sam") for line in text.ACKNOWLEDGE}
