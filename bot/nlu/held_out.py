"""The held-out messages in rasa_project/tests/, never trained on, in two parts.

`tune` is where `aftercare nlu tune` chooses the thresholds, so its figures are in-sample.
`blind` is never tuned on and never edited once its results were seen
(rasa_project/check_data.py holds it to its frozen checksums): its figures say how the
product does on messages nobody fitted it to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.nlu.training_data import DEFAULT_TRAINING_FILE, load_examples

TESTS_DIR = DEFAULT_TRAINING_FILE.parents[1] / "tests"


@dataclass(frozen=True)
class HeldOutFile:
    """One held-out file; figurative files hold idioms, counted as false alarms if flagged."""

    name: str
    examples: tuple[tuple[str, str], ...]
    figurative: bool = False

    @classmethod
    def load(cls, path: Path, *, figurative: bool = False) -> HeldOutFile:
        """Reads a Rasa NLU YAML file; raises TrainingDataError."""
        return cls(path.name, tuple(load_examples(path)), figurative)


@dataclass(frozen=True)
class HeldOutPart:
    """A folder of held-out files: labelled ones (intents, crisis recall) and figurative ones."""

    name: str
    labelled: tuple[Path, ...]
    figurative: tuple[Path, ...]

    @property
    def folder(self) -> Path:
        """Where the part's files live."""
        return TESTS_DIR / self.name

    def load(self) -> list[HeldOutFile]:
        """Every file of the part, labelled ones first; raises TrainingDataError."""
        labelled = [HeldOutFile.load(path) for path in self.labelled]
        return labelled + [HeldOutFile.load(path, figurative=True) for path in self.figurative]


def _part(name: str, labelled: tuple[str, ...], figurative: tuple[str, ...]) -> HeldOutPart:
    folder = TESTS_DIR / name
    return HeldOutPart(
        name,
        labelled=tuple(folder / file for file in labelled),
        figurative=tuple(folder / file for file in figurative),
    )


TUNE = _part(
    "tune",
    ("test_nlu.yml", "crisis_indirect.yml", "ordinary_shared_words.yml", "second_set.yml"),
    ("hard_negatives.yml", "figurative_idioms.yml", "second_set_idioms.yml"),
)
BLIND = _part("blind", ("crisis.yml", "everyday.yml", "shared_words.yml"), ("idioms.yml",))
PARTS = (TUNE, BLIND)
