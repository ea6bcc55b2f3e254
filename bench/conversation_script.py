"""What the bench's simulated clients write: short, everyday messages in a plausible order, and
one crisis message for about one client in twenty."""

from __future__ import annotations

import random
from dataclasses import dataclass

# Each pool reads as its kind to the embedded model (checked with bench/nlu.py's understander);
# nothing outside "crisis" trips the safety net, so the crisis checks below stay exact.
POOLS: dict[str, tuple[str, ...]] = {
    "greeting": ("hi", "hello there", "good morning", "hey, it's me again", "hiya"),
    "warning_sign": (
        "I haven't been sleeping well for a few nights",
        "I've been cancelling plans with friends again",
        "I keep skipping meals this week",
        "I've been isolating a lot lately",
    ),
    "plan_request": (
        "can you show me my plan?",
        "what's in my plan again",
        "show me my relapse prevention plan",
        "remind me of my plan please",
    ),
    "coping": (
        "what can I do to cope right now",
        "give me some coping ideas",
        "I need something to help me calm down",
    ),
    "thanks": ("thanks", "thank you, that helps", "cheers", "thanks a lot", "ok thank you"),
    "crisis": (
        "I want to kill myself",
        "I don't want to be alive anymore",
        "I'm thinking about ending my life tonight",
        "I can't go on, I want to die",
    ),
}
MIDDLE = ("warning_sign", "plan_request", "coping")
CRISIS_SHARE = 0.05


@dataclass(frozen=True)
class Message:
    kind: str
    text: str


def series(rng: random.Random, count: int, crisis: bool) -> list[Message]:
    """`count` messages: a greeting, a warning sign, a plan request, more of the middle kinds,
    thanks last; with `crisis`, one of the middle ones (or the only one) is a crisis message."""
    kinds = ["greeting", "warning_sign", "plan_request"][: max(count - 1, 1)]
    kinds += [rng.choice(MIDDLE) for _ in range(count - 1 - len(kinds))]
    if count > 1:
        kinds.append("thanks")
    if crisis:
        middle = range(1, count - 1) if count > 2 else range(count)
        kinds[rng.choice(list(middle))] = "crisis"
    return [Message(kind, rng.choice(POOLS[kind])) for kind in kinds]


def crisis_clients(rng: random.Random, clients: int) -> set[int]:
    """Which of the clients (by position) send a crisis message: 5%, at least one."""
    return set(rng.sample(range(clients), max(1, round(clients * CRISIS_SHARE))))
