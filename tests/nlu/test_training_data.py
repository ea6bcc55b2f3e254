"""Loading Rasa NLU YAML, and the project's own data check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bot.nlu.training_data import TrainingDataError, load_examples, parse_examples
from tests.nlu.conftest import PROJECT, TRAINING_FILE


def test_project_data_check_passes() -> None:
    script = PROJECT / "check_data.py"
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_training_file_covers_every_intent() -> None:
    intents = {intent for _, intent in load_examples(TRAINING_FILE)}
    assert intents >= {
        "greet", "goodbye", "thanks", "affirm", "deny", "mood_good", "mood_low",
        "report_warning_sign", "report_trigger", "report_lapse", "request_return", "crisis",
        "ask_plan", "ask_coping", "pause_checkins", "change_schedule", "bot_challenge",
        "out_of_scope",
    }  # fmt: skip


def test_entities_stripped_and_other_sections_skipped(tmp_path: Path) -> None:
    path = tmp_path / "nlu.yml"
    path.write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "- synonym: therapist\n"
        "  examples: |\n"
        "    - counsellor\n"
        "- intent: report_trigger\n"
        "  examples: |\n"
        "    - my [ex](person) texted me\n"
        '    - saw [my dad]{"entity": "person"} today\n'
        "    -   extra   spaces  \n"
        "- regex: phone\n"
        "  examples: |\n"
        "    - \\d{10}\n"
        "- intent: greet\n"
        "  examples:\n"
        "  - hi\n"
        "  - text: hello\n",
        encoding="utf-8",
    )
    assert load_examples(path) == [
        ("my ex texted me", "report_trigger"),
        ("saw my dad today", "report_trigger"),
        ("extra spaces", "report_trigger"),
        ("hi", "greet"),
        ("hello", "greet"),
    ]


def test_parse_examples_ignores_blank_lines() -> None:
    assert parse_examples("- a\n\n- b\n") == ["a", "b"]
    assert parse_examples(None) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("nlu: [unclosed", "not valid YAML"),
        ("stories: []", "no `nlu:` list"),
        ("nlu:\n- synonym: x\n  examples: '- y'", "no intent examples"),
    ],
)
def test_bad_files_raise_one_clear_error(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "nlu.yml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(TrainingDataError, match=message):
        load_examples(path)


def _check_data_module() -> ModuleType:
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_data", PROJECT / "check_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    import shutil

    for name in ("data", "tests"):
        shutil.copytree(PROJECT / name, tmp_path / name)
    shutil.copy(PROJECT / "domain.yml", tmp_path / "domain.yml")
    return tmp_path


def _refreeze(project: Path) -> None:
    import hashlib

    blind = project / "tests" / "blind"
    lines = [
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}"
        for path in sorted(blind.glob("*.yml"))
    ]
    (blind / "FROZEN.sha256").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_blind_part_is_held_to_its_frozen_checksums(project_copy: Path) -> None:
    check_data = _check_data_module()
    assert check_data.find_problems(project_copy) == []
    crisis = project_copy / "tests" / "blind" / "crisis.yml"
    crisis.write_text(crisis.read_text(encoding="utf-8") + "      - one more\n", encoding="utf-8")
    problems = check_data.find_problems(project_copy)
    edited = "tests/blind/crisis.yml differs from tests/blind/FROZEN.sha256"
    assert problems == [f"{edited}: blind files are never edited"]


def test_a_blind_sentence_may_not_be_a_near_copy_of_training(project_copy: Path) -> None:
    check_data = _check_data_module()
    everyday = project_copy / "tests" / "blind" / "everyday.yml"
    # A training sentence with its punctuation changed: the same words.
    everyday.write_text(
        everyday.read_text(encoding="utf-8") + "      - i’m knackered, and fed up!\n",
        encoding="utf-8",
    )
    _refreeze(project_copy)
    problems = check_data.find_problems(project_copy)
    assert len(problems) == 1 and "is a near-copy of training" in problems[0], problems


def test_the_blind_part_keeps_a_third_of_the_crisis_messages(project_copy: Path) -> None:
    check_data = _check_data_module()
    tune = project_copy / "tests" / "tune" / "crisis_indirect.yml"
    extra = "".join(f"      - invented crisis line number {n}\n" for n in range(60))
    tune.write_text(tune.read_text(encoding="utf-8") + extra, encoding="utf-8")
    problems = check_data.find_problems(project_copy)
    assert problems == [
        "tests/blind/ holds 103 of 316 held-out crisis messages, needs at least a third"
    ]
