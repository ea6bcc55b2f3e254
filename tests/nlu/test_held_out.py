"""Issue 9's targets on the tuning part, rasa_project/tests/tune/, embedded backend.

The thresholds were chosen on these files, so these figures are in-sample; the blind part is
reported in test_blind.py. (The Rasa backend is held to the same targets in
test_rasa_server.py, marked `rasa`.)
"""

from __future__ import annotations

import pytest

from bot.nlu.embedded import EmbeddedClassifier
from bot.nlu.held_out import (
    BLIND,
    PARTS,
    PARTS_BY_LANGUAGE,
    TUNE,
    BlindFileError,
    HeldOutPart,
    refuse_blind,
)
from bot.nlu.scorecard import evaluate_backend, format_reports
from bot.nlu.service import Understander
from tests.nlu.targets import held_out_files, missed_targets


async def test_embedded_meets_the_targets_on_the_tuning_part(
    embedded: EmbeddedClassifier,
) -> None:
    report = await evaluate_backend(
        Understander(embedded=embedded), "embedded", files=held_out_files()
    )
    missed = missed_targets(report, TUNE.macro_f1_target)
    assert not missed, "\n".join(missed) + "\n\n" + format_reports([report])


@pytest.mark.parametrize("part", PARTS, ids=lambda part: part.name)
def test_each_part_lists_every_file_in_its_folder(part: HeldOutPart) -> None:
    folder = (part.labelled + part.figurative)[0].parent
    assert folder.name == part.name
    # The folder holds each language's files of the part (Spanish ones named *_es.yml).
    same = [p for parts in PARTS_BY_LANGUAGE.values() for p in parts if p.name == part.name]
    listed = [path for p in same for path in p.labelled + p.figurative]
    assert sorted(folder.glob("*.yml")) == sorted(listed)
    assert all(path.stem.endswith("_es") for p in same if p.language == "es" for path in p.labelled)
    assert not set(part.labelled) & set(part.figurative)


async def test_every_file_of_both_parts_is_scored(embedded: EmbeddedClassifier) -> None:
    understander = Understander(embedded=embedded)
    for part in PARTS:
        files = part.load()
        assert {held.name.split("/")[0] for held in files} == {part.name}
        report = await evaluate_backend(understander, "embedded", files=files)
        assert len(report.scored) == sum(len(held.examples) for held in files)
        assert {item.kind for item in report.scored} == {"crisis", "ordinary", "idiom"}


def test_the_blind_part_holds_a_third_of_the_crisis_messages() -> None:
    def crisis(part: HeldOutPart) -> int:
        return sum(gold == "crisis" for held in part.load() for _, gold in held.examples)

    assert crisis(BLIND) * 3 >= crisis(TUNE) + crisis(BLIND)


def test_thresholds_are_never_chosen_on_blind_files() -> None:
    refuse_blind([*TUNE.labelled, *TUNE.figurative])
    with pytest.raises(BlindFileError, match="is blind"):
        refuse_blind([TUNE.labelled[0], BLIND.labelled[0]])
