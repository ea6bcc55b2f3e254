"""Shared fixtures: the project's Rasa files and one embedded model trained from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.embedded import EmbeddedClassifier, file_sha256
from bot.nlu.service import LanguageModels, Understander
from bot.nlu.training_data import TRAINING_FILES, load_examples

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "rasa_project"
TRAINING_FILE = PROJECT / "data" / "nlu.yml"
TEST_FILE = PROJECT / "tests" / "tune" / "test_nlu.yml"
HARD_NEGATIVES_FILE = PROJECT / "tests" / "tune" / "hard_negatives.yml"


@pytest.fixture(scope="session")
def held_out() -> list[tuple[str, str]]:
    """The held-out examples, never trained on."""
    return load_examples(TEST_FILE)


@pytest.fixture(scope="session")
def hard_negatives() -> list[tuple[str, str]]:
    """Figurative messages under their true, non-crisis intents."""
    return load_examples(HARD_NEGATIVES_FILE)


@pytest.fixture(scope="session")
def embedded() -> EmbeddedClassifier:
    """The embedded model trained from the project's training file."""
    return EmbeddedClassifier.train(load_examples(TRAINING_FILE), file_sha256(TRAINING_FILE))


@pytest.fixture(scope="session")
def embedded_es() -> EmbeddedClassifier:
    """The Spanish embedded model, trained from the Spanish training file."""
    path = TRAINING_FILES["es"]
    return EmbeddedClassifier.train(load_examples(path), file_sha256(path))


@pytest.fixture(scope="session")
def bilingual(embedded: EmbeddedClassifier, embedded_es: EmbeddedClassifier) -> Understander:
    """An understander that reads English and Spanish with the embedded models."""
    return Understander(embedded=embedded, languages={"es": LanguageModels(embedded_es)})
