"""`docs/escalation-policy.md`, written from the policy's own rules so the two never drift apart."""

from __future__ import annotations

from pathlib import Path

from bot.policy import typed_reply
from bot.policy.deadlines import TIMINGS
from bot.policy.rules import RULES
from bot.policy.screener_rules import SCREENER_RULES

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "escalation-policy.md"

HEADER = """# Escalation policy

Generated from `bot/policy/` by `python -m bot.policy.document`; a test
fails when this copy differs from the code. Rules are read top to bottom within a situation;
the first that holds decides. Deadlines per severity and the thresholds are per clinic
(defaults: urgent 15 min, elevated 24 h, routine 72 h; warning signs: 2 reports within 7 days;
missed check-ins: 3 in a row).

Whatever the row: every message meets the crisis safety net first, whoever sends it and however
(edited, caption, a note to a check-in, a stopped or graduated client). Staff messages carry a
pseudonym, severity, type and deadline, never the client's words unless the clinic opted in.
The reasons behind these rules are in `docs/clinical-rationale.md`.

| situation | when | the client gets | alert to the clinic | severity | adaptive taper |
| --- | --- | --- | --- | --- | --- |
"""


def render() -> str:
    rows = []
    for rule in (*RULES, *SCREENER_RULES):
        decision = rule.decision
        alert = decision.alert.value if decision.alert else "none"
        severity = decision.severity.value if decision.severity else "-"
        taper = "next check-in closer" if decision.taper_signal else "-"
        rows.append(
            f"| {rule.situation.value} | {rule.when} | {decision.reply.value} | {alert} "
            f"| {severity} | {taper} |"
        )
    return HEADER + "\n".join(rows) + "\n" + _typed_replies() + _timings()


def _quoted(words: tuple[str, ...]) -> str:
    return ", ".join(f"“{word}”" for word in words)


def _typed_replies() -> str:
    return (
        "\n## Typed replies to the direct question\n\n"
        "Read after the same normalisation as the safety net (case, curly apostrophes, stretched "
        "letters, punctuation and emoji removed). A reply that starts with one of these, with at "
        f"most {typed_reply.MORE_WORDS} more words, is an answer; a leading no followed by a "
        "yes-like or unsure phrase counts as Yes.\n\n"
        f"- **Yes**: {_quoted(typed_reply.YES_WORDS)}\n"
        f"- **Unsure or rather not say (counts as Yes)**: {_quoted(typed_reply.UNSURE_WORDS)}\n"
        f"- **No**: {_quoted(typed_reply.NO_WORDS)}\n"
    )


def _timings() -> str:
    lines = "\n".join(f"| {t.what} | {t.rule} |" for t in TIMINGS)
    return "\n## Definitions and timings\n\n| what | rule |\n| --- | --- |\n" + lines + "\n"


def write(path: Path = DOCUMENT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write())
