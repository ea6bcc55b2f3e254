"""Parse latency (p50/p99) and throughput for each NLU backend, on the held-out messages.

Run: .venv/bin/python bench/nlu.py [--rasa-url http://127.0.0.1:5005] [--rounds 5]
     [--part tune|blind|all]  (default tune: the 599 messages measured before issue 14)
Each message goes through what the app runs: the safety net, the ask cues, the too-little-to-read
check, the classifier and the risk rules; the "+plan" line also reads it against the example
plan's warning signs and triggers. Issue 9's goal: embedded p50 <= 2 ms.
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
from bot.nlu.held_out import PARTS
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
) -> tuple[list[float], float]:
    timings: list[float] = []
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            one = time.perf_counter()
            await understander.understand_using(
                text, backend, warning_signs=signs, triggers=triggers
            )
            timings.append((time.perf_counter() - one) * 1000)
    return timings, time.perf_counter() - started


async def bench(settings: Settings, rounds: int, part: str) -> None:
    parts = [p for p in PARTS if part in ("all", p.name)]
    paths = [path for p in parts for path in (*p.labelled, *p.figurative)]
    texts = [text for path in paths for text, _ in load_examples(path)]
    print(f"{len(texts)} messages from {', '.join(p.name for p in parts)}, {rounds} rounds")
    plan = load_plan_file(ROOT / "examples" / "plan.yml")
    signs, triggers = plan.warning_signs, [t.situation for t in plan.triggers]
    understander = build_understander(settings)
    backends: list[Backend] = ["embedded", "rasa"] if settings.rasa_url else ["embedded"]
    try:
        for backend in backends:
            for label, plan_items in ((backend, ((), ())), (f"{backend}+plan", (signs, triggers))):
                try:
                    timings, elapsed = await timed(
                        understander, backend, texts, rounds, *plan_items
                    )
                except BackendUnavailable as exc:
                    print(f"{backend:<14} unavailable: {exc}")
                    break
                p50 = percentile(timings, 50)
                goal = ""
                if backend == "embedded":
                    goal = "  goal p50 <= 2 ms: " + (
                        "ok" if p50 <= EMBEDDED_P50_GOAL_MS else "MISS"
                    )
                print(
                    f"{label:<14} n={len(timings)}  p50={p50:.2f} ms  "
                    f"p99={percentile(timings, 99):.2f} ms  "
                    f"throughput={len(timings) / elapsed:.0f} msg/s{goal}"
                )
    finally:
        await understander.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rasa-url", default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--part", choices=("tune", "blind", "all"), default="tune")
    args = parser.parse_args()
    settings = Settings()
    if args.rasa_url:
        settings = settings.model_copy(update={"rasa_url": args.rasa_url})
    asyncio.run(bench(settings, args.rounds, args.part))


if __name__ == "__main__":
    main()
