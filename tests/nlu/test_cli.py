"""`aftercare nlu parse|eval|train` through typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.config import Settings
from bot.nlu.cli import app

runner = CliRunner()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, rasa_url=None)


def test_parse_one_message(settings: Settings) -> None:
    result = runner.invoke(app, ["parse", "I want to diiiie"], obj=settings)
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.stdout)
    assert parsed["risk"] == "crisis"
    assert "want_to_die" in parsed["net_matches"]
    assert parsed["source"] == "embedded"


def test_parse_reads_lines_from_stdin(settings: Settings) -> None:
    result = runner.invoke(
        app, ["parse", "--backend", "embedded"], obj=settings, input="hello\nthank you!\n"
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["intent"] for line in lines] == ["greet", "thanks"]


def test_parse_rasa_unreachable_is_one_clear_line(settings: Settings) -> None:
    result = runner.invoke(
        app, ["parse", "hi", "--backend", "rasa", "--rasa-url", "http://127.0.0.1:9"], obj=settings
    )
    assert result.exit_code == 1
    assert "rasa backend unavailable" in result.stderr
    assert "Traceback" not in result.output


def test_eval_all_reports_rasa_unavailable_and_embedded_numbers(
    settings: Settings, tmp_path: Path
) -> None:
    data = tmp_path / "small.yml"
    data.write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hello there\n'
        "- intent: crisis\n  examples: |\n    - i want to kill myself\n",
        encoding="utf-8",
    )
    idioms = tmp_path / "idioms.yml"
    idioms.write_text(
        "nlu:\n- intent: out_of_scope\n  examples: |\n    - this queue is killing me\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        ["eval", "--data", str(data), "--hard-negatives", str(idioms), "--backend", "all"],
        obj=settings,
    )
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.stdout
    resources = next(line for line in result.stdout.splitlines() if line.startswith("crisis res"))
    assert "1/1 (100.0%)" in resources
    assert "idioms paged|asked (<= 5%)" in result.stdout
    assert "[embedded] crisis threshold curve" in result.stdout
    assert "[embedded] operating point (bot/nlu/thresholds.yml): page >=" in result.stdout
    assert "[rasa] unavailable: RASA_URL is not set" in result.stdout


def test_eval_prints_the_tuning_and_the_blind_part_each_on_its_own(settings: Settings) -> None:
    result = runner.invoke(app, ["eval", "--backend", "embedded"], obj=settings)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    tune = lines.index(next(line for line in lines if line.startswith("== tune:")))
    blind = lines.index(next(line for line in lines if line.startswith("== blind:")))
    assert "in-sample" in lines[tune] and "never tuned on" in lines[blind]
    for part, targets in (
        (lines[tune:blind], "macro-F1 (target >= 0.88)"),
        (lines[blind:], "macro-F1 (target >= 0.85)"),
    ):
        header = next(i for i, line in enumerate(part) if "crisis threshold curve" in line)
        assert "crisis paged|asked" in part[header + 1] and "ordinary paged" in part[header + 1]
        assert any("<- ask" in line for line in part[header:])
        assert any("<- page" in line for line in part[header:])
        for label in ("ordinary paged (<= 1%)", "ordinary asked (<= 5%)", targets):
            assert any(line.startswith(label) for line in part), label
    # Each part counts only its own messages.
    resources = [line for line in lines if line.startswith("crisis resources")]
    assert len(resources) == 2 and "/125 " in resources[0] and "/86 " in resources[1]


def test_eval_one_part(settings: Settings) -> None:
    result = runner.invoke(app, ["eval", "--backend", "embedded", "--part", "blind"], obj=settings)
    assert result.exit_code == 0, result.output
    assert "== blind:" in result.stdout and "== tune:" not in result.stdout


def test_tune_without_writing_reads_the_tuning_part_only(settings: Settings) -> None:
    from bot.nlu.thresholds import THRESHOLDS_FILE

    before = THRESHOLDS_FILE.read_text()
    result = runner.invoke(app, ["tune", "--backend", "all", "--no-write"], obj=settings)
    assert result.exit_code == 0, result.output
    tuned_on = next(line for line in result.stdout.splitlines() if line.startswith("tuning on"))
    assert "tune/test_nlu.yml" in tuned_on and "tune/second_set_idioms.yml" in tuned_on
    assert "blind" not in tuned_on
    assert "[embedded] operating point" in result.stdout
    assert "[rasa] unavailable" in result.stdout
    assert THRESHOLDS_FILE.read_text() == before


def test_tune_refuses_blind_files(settings: Settings) -> None:
    from bot.nlu.held_out import BLIND

    for option, path in (("--data", BLIND.labelled[0]), ("--hard-negatives", BLIND.figurative[0])):
        result = runner.invoke(app, ["tune", option, str(path), "--no-write"], obj=settings)
        assert result.exit_code == 1
        assert "is blind: thresholds are chosen on" in result.stderr


def test_parse_shows_risk_ask_and_the_plan_match(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.nlu.service as service
    from bot.nlu.thresholds import Thresholds

    # A cue of preparation the net does not page: at least asked directly.
    result = runner.invoke(
        app,
        ["parse", "--backend", "embedded", "asked my brother to take the cat for good"],
        obj=settings,
    )
    parsed = json.loads(result.stdout)
    assert parsed["risk"] in ("ask", "crisis"), parsed
    assert parsed["cue_matches"] == ["giving_away"]
    assert {"runner_up", "crisis_score", "matched_sign", "matched_trigger"} <= set(parsed)
    # A classifier crisis reading below the page threshold is asked, not paged.
    monkeypatch.setattr(service, "thresholds_for", lambda *_: Thresholds(page=1.0, ask=0.05))
    result = runner.invoke(
        app, ["parse", "--backend", "embedded", "i can't see a future for me"], obj=settings
    )
    parsed = json.loads(result.stdout)
    assert (parsed["risk"], parsed["net_matches"]) == ("ask", []), parsed
    assert parsed["runner_up"] and parsed["runner_up"] != "crisis"
    monkeypatch.undo()
    plan = Path(__file__).resolve().parents[2] / "examples" / "plan.yml"
    result = runner.invoke(
        app,
        ["parse", "--backend", "embedded", "--plan", str(plan), "I slept badly again last night"],
        obj=settings,
    )
    parsed = json.loads(result.stdout)
    assert parsed["intent"] == "report_warning_sign"
    assert parsed["matched_sign"] == "Sleeping badly for several nights"
    result = runner.invoke(
        app,
        ["parse", "--backend", "embedded", "--sign", "Skipping meals", "skipped lunch and dinner"],
        obj=settings,
    )
    assert json.loads(result.stdout)["matched_sign"] == "Skipping meals"
    result = runner.invoke(app, ["parse", "İ"], obj=settings)
    parsed = json.loads(result.stdout)
    assert (parsed["intent"], parsed["risk"]) == ("nlu_fallback", "none")


@pytest.mark.parametrize(
    ("content", "message"), [(None, "no such file"), ("nlu: [", "not valid YAML")]
)
def test_eval_bad_file(
    settings: Settings, tmp_path: Path, content: str | None, message: str
) -> None:
    data = tmp_path / "bad.yml"
    if content is not None:
        data.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["eval", "--data", str(data)], obj=settings)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_eval_rasa_only_unreachable_fails(settings: Settings) -> None:
    result = runner.invoke(
        app, ["eval", "--backend", "rasa", "--rasa-url", "http://127.0.0.1:9"], obj=settings
    )
    assert result.exit_code == 1
    assert "rasa unavailable" in result.stderr


def test_train_writes_the_cache(settings: Settings) -> None:
    result = runner.invoke(app, ["train"], obj=settings)
    assert result.exit_code == 0, result.output
    assert "trained in" in result.stdout
    assert list((settings.data_dir / "nlu").glob("*.pkl"))


def test_train_missing_file(settings: Settings, tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "--data", str(tmp_path / "nope.yml")], obj=settings)
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_parse_reads_as_a_client_with_a_language(settings: Settings) -> None:
    result = runner.invoke(
        app, ["parse", "--language", "es", "--backend", "embedded", "kiero morirme"], obj=settings
    )
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.stdout)
    assert (parsed["risk"], parsed["language"]) == ("crisis", "es")
    assert "want_to_die" in parsed["net_matches"]
    # Without --language: as a client with no language of their own (English, with the check).
    result = runner.invoke(app, ["parse", "je ne vais pas très bien en ce moment"], obj=settings)
    parsed = json.loads(result.stdout)
    assert (parsed["detected"], parsed["unreadable"]) == ("fr", True)
    assert parsed["risk"] == "needs_review"
    result = runner.invoke(app, ["parse", "--language", "xx", "hola"], obj=settings)
    assert result.exit_code == 1 and "--language must be one of en, es" in result.stderr


def test_eval_reads_the_spanish_held_out_parts(settings: Settings) -> None:
    result = runner.invoke(
        app, ["eval", "--language", "es", "--backend", "embedded", "--part", "blind"], obj=settings
    )
    assert result.exit_code == 0, result.output
    assert "== blind: rasa_project/tests/blind/*_es.yml (Spanish; never tuned on" in result.stdout
    resources = next(line for line in result.stdout.splitlines() if line.startswith("crisis res"))
    assert "17/17 (100.0%)" in resources
    assert "page >= 0.52, ask >= 0.12" in result.stdout
