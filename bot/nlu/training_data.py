"""Reads Rasa NLU YAML files into (text, intent) pairs for training and evaluation."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

DEFAULT_TRAINING_FILE = Path(__file__).resolve().parents[2] / "rasa_project" / "data" / "nlu.yml"
# The language a message is read in when nobody says otherwise (a client with no language).
DEFAULT_LANGUAGE = "en"
# One training file, and so one model, per language the bot reads.
TRAINING_FILES = {
    DEFAULT_LANGUAGE: DEFAULT_TRAINING_FILE,
    "es": DEFAULT_TRAINING_FILE.with_name("nlu_es.yml"),
}
# Rasa entity markup: [text](entity), [text]{"entity": ...} or [text]{...}; keep the text.
_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
_BULLET = re.compile(r"^\s*-\s?(.*)$")


class TrainingDataError(ValueError):
    """The file is missing, is not YAML, or holds no intent examples."""


def load_examples(path: Path) -> list[tuple[str, str]]:
    """Every intent example in the file as (text, intent), in file order.

    Sections other than intents (synonyms, regexes, lookups) are skipped.
    """
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TrainingDataError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise TrainingDataError(f"{path}: cannot read ({exc})") from exc
    except yaml.YAMLError as exc:
        raise TrainingDataError(f"{path}: not valid YAML ({_first_line(exc)})") from exc
    if not isinstance(document, dict) or not isinstance(document.get("nlu"), list):
        raise TrainingDataError(f"{path}: no `nlu:` list of intents found")
    examples: list[tuple[str, str]] = []
    for section in document["nlu"]:
        if not isinstance(section, dict) or "intent" not in section:
            continue
        intent = str(section["intent"])
        examples.extend((text, intent) for text in parse_examples(section.get("examples")))
    if not examples:
        raise TrainingDataError(f"{path}: no intent examples found")
    return examples


def parse_examples(block: object) -> list[str]:
    """Texts from one `examples:` block (a `- text` string or a list), entity markup removed."""
    if isinstance(block, str):
        lines = [_BULLET.match(line) for line in block.splitlines()]
        texts = [match.group(1) for match in lines if match]
    elif isinstance(block, list):
        texts = [
            str(item.get("text", "")) if isinstance(item, dict) else str(item) for item in block
        ]
    else:
        texts = []
    cleaned = (" ".join(_ENTITY.sub(r"\1", text).split()) for text in texts)
    return [text for text in cleaned if text]


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
