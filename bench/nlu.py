"""Parse latency (p50/p99) and throughput for each NLU backend.

Run: .venv/bin/python bench/nlu.py [--rasa-url http://127.0.0.1:5005] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import Settings
from bot.nlu.evaluation import percentile
from bot.nlu.service import Backend, BackendUnavailable, build_understander
from bot.nlu.training_data import load_examples

TEST_FILE = Path(__file__).resolve().parents[1] / "rasa_project" / "tests" / "test_nlu.yml"


async def bench(settings: Settings, rounds: int) -> None:
    texts = [text for text, _ in load_examples(TEST_FILE)]
    understander = build_understander(settings)
    backends: list[Backend] = ["embedded", "rasa"] if settings.rasa_url else ["embedded"]
    try:
        for backend in backends:
            timings: list[float] = []
            started = time.perf_counter()
            try:
                for _ in range(rounds):
                    for text in texts:
                        one = time.perf_counter()
                        await understander.understand_using(text, backend)
                        timings.append((time.perf_counter() - one) * 1000)
            except BackendUnavailable as exc:
                print(f"{backend:<9} unavailable: {exc}")
                continue
            elapsed = time.perf_counter() - started
            print(
                f"{backend:<9} n={len(timings)}  p50={percentile(timings, 50):.2f} ms  "
                f"p99={percentile(timings, 99):.2f} ms  "
                f"throughput={len(timings) / elapsed:.0f} msg/s"
            )
    finally:
        await understander.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rasa-url", default=None)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    settings = Settings()
    if args.rasa_url:
        settings = settings.model_copy(update={"rasa_url": args.rasa_url})
    asyncio.run(bench(settings, args.rounds))


if __name__ == "__main__":
    main()
