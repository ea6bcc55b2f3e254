"""Checks the Rasa NLU data: enough examples per intent, a complete domain, no held-out leakage,
and a blind part that stays blind (a third of the crisis messages, no near-copy in training, and
unchanged since it was frozen).

Run with any Python that has PyYAML: `python rasa_project/check_data.py [project_dir]`.
Exits 0 when the data is sound; otherwise prints one line per problem and exits 1.
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent
TRAINING_FILE = Path("data/nlu.yml")
# Each language has a training file of its own (and a model of its own); all are checked alike.
TRAINING_FILES = (TRAINING_FILE, Path("data/nlu_es.yml"))
# Every YAML file under tests/ is held out: evaluation only, never a training sentence.
HELD_OUT_DIR = Path("tests")
# tests/tune/ chooses the thresholds; tests/blind/ only reports, and is never edited once its
# results were seen: FROZEN lists its files' sha256 as written on the day it was frozen.
BLIND_DIR = HELD_OUT_DIR / "blind"
FROZEN_FILE = BLIND_DIR / "FROZEN.sha256"
# At least this share of all held-out crisis messages is blind.
MIN_BLIND_CRISIS_SHARE = 1 / 3
# A blind sentence whose character trigrams are this close to a training sentence's (or with the
# same words) is a paraphrase, and its score would say nothing about unseen messages.
NEAR_COPY_SIMILARITY = 0.9
DOMAIN_FILE = Path("domain.yml")
MIN_EXAMPLES = 30
MIN_CRISIS_EXAMPLES = 100
CRISIS_INTENT = "crisis"

# Phone keyboards send curly apostrophes; fold them so "i’m" and "i'm" count as one sentence.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def normalize(text: str) -> str:
    """The sentence as compared for leakage: lowercase, straight apostrophes, single spaces."""
    return re.sub(r"\s+", " ", text.translate(_APOSTROPHES).lower()).strip()


def load_examples(path: Path) -> dict[str, list[str]]:
    """Intent name -> example sentences, read from one Rasa NLU YAML file."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples: dict[str, list[str]] = {}
    for block in document.get("nlu", []):
        if "intent" not in block:
            continue
        lines = str(block.get("examples", "")).splitlines()
        sentences = [line.strip()[2:].strip() for line in lines if line.strip().startswith("- ")]
        examples.setdefault(block["intent"], []).extend(sentences)
    return examples


def load_domain_intents(path: Path) -> set[str]:
    """The intent names listed in domain.yml (plain names or one-key mappings)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    names: set[str] = set()
    for entry in document.get("intents", []):
        names.update(entry.keys() if isinstance(entry, dict) else [str(entry)])
    return names


def _count_problems(training: dict[str, list[str]]) -> list[str]:
    problems = []
    for intent, sentences in sorted(training.items()):
        needed = MIN_CRISIS_EXAMPLES if intent == CRISIS_INTENT else MIN_EXAMPLES
        if len(sentences) < needed:
            problems.append(
                f"intent {intent!r} has {len(sentences)} training examples, needs {needed}"
            )
    if CRISIS_INTENT not in training:
        problems.append(f"intent {CRISIS_INTENT!r} has no training examples")
    return problems


def _conflict_problems(training: dict[str, list[str]]) -> list[str]:
    # The same sentence under two intents teaches the classifier a contradiction.
    seen: dict[str, str] = {}
    problems = []
    for intent, sentences in sorted(training.items()):
        for sentence in sentences:
            key = normalize(sentence)
            if key in seen and seen[key] != intent:
                problems.append(
                    f"training sentence {sentence!r} is under {seen[key]!r} and {intent!r}"
                )
            seen.setdefault(key, intent)
    return problems


def find_problems(project_dir: Path = PROJECT_DIR) -> list[str]:
    """Every problem found in the project's NLU data, as readable one-line messages."""
    domain_intents = load_domain_intents(project_dir / DOMAIN_FILE)
    problems: list[str] = []
    training: dict[str, list[str]] = {}
    for training_file in TRAINING_FILES:
        if training_file != TRAINING_FILE and not (project_dir / training_file).exists():
            continue
        language = load_examples(project_dir / training_file)
        problems += [
            f"{training_file}: {problem}"
            for problem in _count_problems(language) + _conflict_problems(language)
        ]
        for intent in sorted(set(language) - domain_intents):
            problems.append(f"{training_file}: intent {intent!r} is missing from {DOMAIN_FILE}")
        for intent in sorted(domain_intents - set(language)):
            problems.append(f"{training_file}: intent {intent!r} has no training examples")
        for intent, sentences in language.items():
            training.setdefault(intent, []).extend(sentences)
    trained = {normalize(sentence) for sentences in training.values() for sentence in sentences}
    held_out_files = sorted(
        path.relative_to(project_dir) for path in (project_dir / HELD_OUT_DIR).rglob("*.yml")
    )
    if not held_out_files:
        problems.append(f"no held-out files in {HELD_OUT_DIR}/")
    for held_out_file in held_out_files:
        for intent, sentences in sorted(load_examples(project_dir / held_out_file).items()):
            if intent not in domain_intents:
                problems.append(f"{held_out_file}: intent {intent!r} is not in {DOMAIN_FILE}")
            for sentence in sentences:
                if normalize(sentence) in trained:
                    problems.append(f"{held_out_file}: {sentence!r} ({intent}) is also in training")
    return problems + _blind_problems(project_dir, held_out_files, training)


def _blind_problems(
    project_dir: Path, held_out_files: list[Path], training: dict[str, list[str]]
) -> list[str]:
    blind = [path for path in held_out_files if path.is_relative_to(BLIND_DIR)]
    if not blind:
        return [f"no blind held-out files in {BLIND_DIR}/"]
    problems = _frozen_problems(project_dir, blind)
    crisis = {
        path: len(load_examples(project_dir / path).get(CRISIS_INTENT, []))
        for path in held_out_files
    }
    blind_crisis = sum(crisis[path] for path in blind)
    if blind_crisis < MIN_BLIND_CRISIS_SHARE * sum(crisis.values()):
        problems.append(
            f"{BLIND_DIR}/ holds {blind_crisis} of {sum(crisis.values())} held-out crisis messages,"
            f" needs at least a third"
        )
    trained = _Training([s for sentences in training.values() for s in sentences])
    for path in blind:
        for intent, sentences in sorted(load_examples(project_dir / path).items()):
            for sentence in sentences:
                copy = trained.near_copy(sentence)
                if copy is not None:
                    problems.append(
                        f"{path}: {sentence!r} ({intent}) is a near-copy of training {copy!r}"
                    )
    return problems


def _frozen_problems(project_dir: Path, blind: list[Path]) -> list[str]:
    try:
        lines = (project_dir / FROZEN_FILE).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return [f"{FROZEN_FILE} is missing: the blind files were never frozen"]
    frozen = {
        name: digest
        for digest, name in (line.split(maxsplit=1) for line in lines if line and line[0] != "#")
    }
    problems = []
    for path in blind:
        digest = hashlib.sha256((project_dir / path).read_bytes()).hexdigest()
        if frozen.pop(path.name, None) != digest:
            problems.append(f"{path} differs from {FROZEN_FILE}: blind files are never edited")
    problems += [f"{FROZEN_FILE} lists {name}, which is gone" for name in sorted(frozen)]
    return problems


Shape = tuple[frozenset[str], Counter[str]]


def _shape(sentence: str) -> Shape:
    """The sentence's words and character trigrams, apostrophes and punctuation dropped."""
    plain = re.sub(r"[^\w ]", "", normalize(sentence).replace("'", ""))
    padded = f" {plain} "
    trigrams = Counter(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(plain.split()), trigrams


class _Training:
    """Training sentences indexed by their words and trigrams, for near-copy look-ups."""

    def __init__(self, sentences: list[str]) -> None:
        self.sentences = sentences
        shapes = [_shape(sentence) for sentence in sentences]
        self.by_words = {words: index for index, (words, _) in enumerate(shapes)}
        self.norms = [math.sqrt(sum(v * v for v in grams.values())) for _, grams in shapes]
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for index, (_, grams) in enumerate(shapes):
            for gram, count in grams.items():
                self.postings.setdefault(gram, []).append((index, count))

    def near_copy(self, sentence: str) -> str | None:
        """A training sentence with the same words or nearly the same trigrams, if any."""
        words, grams = _shape(sentence)
        if words in self.by_words:
            return self.sentences[self.by_words[words]]
        dots: dict[int, int] = {}
        for gram, count in grams.items():
            for index, other in self.postings.get(gram, ()):
                dots[index] = dots.get(index, 0) + count * other
        norm = math.sqrt(sum(v * v for v in grams.values()))
        for index, dot in dots.items():
            if norm and dot / (norm * self.norms[index]) >= NEAR_COPY_SIMILARITY:
                return self.sentences[index]
        return None


def main(argv: list[str]) -> int:
    """Prints the problems found (or a one-line summary) and returns the exit status."""
    project_dir = Path(argv[1]) if len(argv) > 1 else PROJECT_DIR
    problems = find_problems(project_dir)
    for problem in problems:
        print(f"check_data: {problem}", file=sys.stderr)
    if problems:
        return 1
    training = load_examples(project_dir / TRAINING_FILE)
    total = sum(len(sentences) for sentences in training.values())
    print(f"check_data: ok ({len(training)} intents, {total} training examples)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
