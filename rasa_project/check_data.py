"""Checks the Rasa NLU data: enough examples per intent, a complete domain, no held-out leakage.

Run with any Python that has PyYAML: `python rasa_project/check_data.py [project_dir]`.
Exits 0 when the data is sound; otherwise prints one line per problem and exits 1.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent
TRAINING_FILE = Path("data/nlu.yml")
# Every YAML file under tests/ is held out: evaluation only, never a training sentence.
HELD_OUT_DIR = Path("tests")
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
    training = load_examples(project_dir / TRAINING_FILE)
    domain_intents = load_domain_intents(project_dir / DOMAIN_FILE)
    problems = _count_problems(training) + _conflict_problems(training)
    for intent in sorted(set(training) - domain_intents):
        problems.append(f"intent {intent!r} is trained but missing from {DOMAIN_FILE}")
    for intent in sorted(domain_intents - set(training)):
        problems.append(f"intent {intent!r} is in {DOMAIN_FILE} but has no training examples")
    trained = {normalize(sentence) for sentences in training.values() for sentence in sentences}
    held_out_files = sorted(
        path.relative_to(project_dir) for path in (project_dir / HELD_OUT_DIR).glob("*.yml")
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
    return problems


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
