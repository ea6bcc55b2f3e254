"""Parse latency (p50/p99) and throughput for each NLU backend, on the held-out messages.

Run: .venv/bin/python bench/nlu.py [--rasa-url http://127.0.0.1:5005] [--rounds 5]
     [--part tune|blind|all]  (default tune: the 599 messages measured before issue 14)
Each message goes through what the app runs: the crisis nets (English, Spanish, multilingual),
the ask cues, the language check, the too-little-to-read check, the classifier of the message's
language and the risk rules; the "+plan" line also reads it against the example plan's warning
signs and triggers. One block per language (--language en|es|all), each on its own held-out
files, read as a client of that language. Goal (issues 9 and 18): embedded p50 <= 2 ms, language
check included; the "language check" line times the detector alone.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import Settings
from bot.nlu.evaluation import percentile
from bot.nlu.held_out import PARTS_BY_LANGUAGE
from bot.nlu.language import detect
from bot.nlu.service import Backend, BackendUnavailable, Understander, build_understander
from bot.nlu.training_data import load_examples
from bot.plan.schema import load_plan_file

ROOT = Path(__file__).resolve().parents[1]
EMBEDDED_P50_GOAL_MS = 2.0


async def timed(
    understander: Understander,
    backend: Backend,
    texts: list[str],
    rounds: int,
    signs: Sequence[str] = (),
    triggers: Sequence[str] = (),
    language: str = "en",
) -> tuple[list[float], float]:
    timings: list[float] = []
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            one = time.perf_counter()
            await understander.understand_using(
                text, backend, language=language, warning_signs=signs, triggers=triggers
            )
            timings.append((time.perf_counter() - one) * 1000)
    return timings, time.perf_counter() - started


def detector_timings(texts: list[str], rounds: int) -> list[float]:
    timings: list[float] = []
    for _ in range(rounds):
        for text in texts:
            one = time.perf_counter()
            detect(text)
            timings.append((time.perf_counter() - one) * 1000)
    return timings


async def bench(settings: Settings, rounds: int, part: str, languages: list[str]) -> None:
    understander = build_understander(settings)
    try:
        for language in languages:
            await bench_language(understander, settings, rounds, part, language)
    finally:
        await understander.aclose()


async def bench_language(
    understander: Understander, settings: Settings, rounds: int, part: str, language: str
) -> None:
    parts = [p for p in PARTS_BY_LANGUAGE[language] if part in ("all", p.name)]
    paths = [path for p in parts for path in (*p.labelled, *p.figurative)]
    texts = [text for path in paths for text, _ in load_examples(path)]
    names = ", ".join(p.name for p in parts)
    print(f"[{language}] {len(texts)} messages from {names}, {rounds} rounds")
    plan = load_plan_file(ROOT / "examples" / "plan.yml")
    signs, triggers = plan.warning_signs, [t.situation for t in plan.triggers]
    alone = detector_timings(texts, rounds)
    print(
        f"{'language check':<14} n={len(alone)}  p50={percentile(alone, 50):.2f} ms  "
        f"p99={percentile(alone, 99):.2f} ms"
    )
    url = settings.rasa_url if language == "en" else settings.rasa_url_es
    backends: list[Backend] = ["embedded", "rasa"] if url else ["embedded"]
    for backend in backends:
        for label, plan_items in ((backend, ((), ())), (f"{backend}+plan", (signs, triggers))):
            try:
                timings, elapsed = await timed(
                    understander, backend, texts, rounds, *plan_items, language=language
                )
            except BackendUnavailable as exc:
                print(f"{backend:<14} unavailable: {exc}")
                break
            p50 = percentile(timings, 50)
            goal = ""
            if backend == "embedded":
                goal = "  goal p50 <= 2 ms: " + ("ok" if p50 <= EMBEDDED_P50_GOAL_MS else "MISS")
            print(
                f"{label:<14} n={len(timings)}  p50={p50:.2f} ms  "
                f"p99={percentile(timings, 99):.2f} ms  "
                f"throughput={len(timings) / elapsed:.0f} msg/s{goal}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rasa-url", default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rasa-url-es", default=None)
    parser.add_argument("--part", choices=("tune", "blind", "all"), default="tune")
    parser.add_argument("--language", choices=(*PARTS_BY_LANGUAGE, "all"), default="all")
    args = parser.parse_args()
    settings = Settings()
    if args.rasa_url:
        settings = settings.model_copy(update={"rasa_url": args.rasa_url})
    if args.rasa_url_es:
        settings = settings.model_copy(update={"rasa_url_es": args.rasa_url_es})
    languages = list(PARTS_BY_LANGUAGE) if args.language == "all" else [args.language]
    asyncio.run(bench(settings, args.rounds, args.part, languages))


if __name__ == "__main__":
    main()
