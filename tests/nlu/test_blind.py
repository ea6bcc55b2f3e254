"""The blind part, rasa_project/tests/blind/: never tuned on, frozen before any backend read it.

Reports the embedded backend's blind figures against issue 14's targets (run with `-s` to see
them; a missed target is also a warning in the summary). Every blind crisis message must get the
crisis resources (paged or asked), at most 1% of ordinary messages may page and at most 5% of
idioms be paged or asked; where the 5% ask target or macro-F1 0.85 is still missed, the test
holds the backend to the bound reached (tests/nlu/targets.py: BLIND_REACHED), no looser.
"""

from __future__ import annotations

from bot.nlu.curve import outcome
from bot.nlu.embedded import EmbeddedClassifier
from bot.nlu.held_out import BLIND
from bot.nlu.scorecard import evaluate_backend
from bot.nlu.service import Understander
from tests.nlu.targets import check_blind


async def test_embedded_blind_figures_against_the_targets(embedded: EmbeddedClassifier) -> None:
    report = await evaluate_backend(Understander(embedded=embedded), "embedded", files=BLIND.load())
    assert report.thresholds is not None
    crisis = [item for item in report.scored if item.kind == "crisis"]
    missed = [item.text for item in crisis if outcome(item.reading, report.thresholds) == "none"]
    assert len(crisis) == 86 and missed == []
    short = check_blind(report)
    assert not short, "\n".join(short)
