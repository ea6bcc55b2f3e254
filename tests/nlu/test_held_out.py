"""Issue 9's targets on every held-out file in rasa_project/tests/, embedded backend.

(The Rasa backend is held to the same targets in test_rasa_server.py, marked `rasa`.)
"""

from __future__ import annotations

from bot.nlu.embedded import EmbeddedClassifier
from bot.nlu.scorecard import evaluate_backend, format_reports
from bot.nlu.service import Understander
from tests.nlu.targets import held_out_files, missed_targets


async def test_embedded_meets_the_targets_on_the_held_out_files(
    embedded: EmbeddedClassifier,
) -> None:
    report = await evaluate_backend(
        Understander(embedded=embedded), "embedded", files=held_out_files()
    )
    missed = missed_targets(report)
    assert not missed, "\n".join(missed) + "\n\n" + format_reports([report])


async def test_every_held_out_file_is_scored(embedded: EmbeddedClassifier) -> None:
    files = held_out_files()
    names = {held.name for held in files}
    assert {"test_nlu.yml", "crisis_indirect.yml", "ordinary_shared_words.yml"} <= names
    assert {"hard_negatives.yml", "figurative_idioms.yml"} <= names
    report = await evaluate_backend(Understander(embedded=embedded), "embedded", files=files)
    assert len(report.scored) == sum(len(held.examples) for held in files)
    kinds = {item.kind for item in report.scored}
    assert kinds == {"crisis", "ordinary", "idiom"}
