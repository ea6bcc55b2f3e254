"""The conversation bench's figures: one row per run, latency by message kind, and the checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.nlu.evaluation import percentile

REPLY_GOAL_MS = 150.0
ALERT_GOAL_MS = 2000.0


@dataclass
class Run:
    """One backend's run: the child's measurements plus this process's CPU and loop lag."""

    backend: str
    label: str
    clients: int
    measured: dict[str, Any]
    seconds: float
    cpu: dict[str, float]
    loop_lag_ms: list[float] = field(default_factory=list)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.measured["messages"])

    def latencies(self, kind: str | None = None) -> list[float]:
        return [
            m["ms"]
            for m in self.messages
            if m["ms"] is not None and (kind is None or m["kind"] == kind)
        ]

    @property
    def lost(self) -> int:
        return sum(1 for m in self.messages if m["ms"] is None)

    @property
    def crisis(self) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["kind"] == "crisis"]

    @property
    def alert_ms(self) -> list[float]:
        return [m["alert_ms"] for m in self.crisis if m.get("alert_ms") is not None]

    @property
    def resources_first(self) -> int:
        """Crisis messages whose first reply carried the clinic's crisis resources."""
        return sum(1 for m in self.crisis if m["resources_first"])

    @property
    def unexpected_resources(self) -> int:
        """Other messages answered with the crisis resources (the NLU read them as crisis)."""
        return sum(1 for m in self.messages if m["kind"] != "crisis" and m["resources_first"])

    @property
    def faults(self) -> dict[str, int]:
        """Random faults the fake injected: "500", "502", "504", "timeout"."""
        return dict(self.measured.get("random_faults") or {})

    @property
    def resources_ms(self) -> list[float]:
        """Per crisis message that got them: ms until the crisis resources arrived (any reply)."""
        return [m["resources_ms"] for m in self.crisis if m.get("resources_ms") is not None]

    @property
    def crisis_lost(self) -> int:
        """Crisis messages never answered with the clinic's crisis resources."""
        return len(self.crisis) - len(self.resources_ms)

    @property
    def alerts_lost(self) -> int:
        """Crisis messages whose alert never reached the staff group."""
        return len(self.crisis) - len(self.alert_ms)

    @property
    def sent_twice(self) -> int:
        """Messages a chat received twice (a late answer made the bot send them again)."""
        return int(self.measured.get("sent_twice", 0))

    def cpu_ms(self, process: str) -> float:
        """CPU milliseconds per client message in `process` ("bot" or "fake")."""
        return self.cpu.get(process, 0.0) * self.seconds / max(len(self.messages), 1) * 1000

    def passed(self) -> bool:
        """Every goal and every check of this run held (under faults: nothing lost)."""
        if self.faults:
            return self.lost == 0 and self.crisis_lost == 0 and self.alerts_lost == 0
        replies = self.latencies()
        return (
            self.lost == 0
            and percentile(replies, 99) <= REPLY_GOAL_MS
            and len(self.alert_ms) == len(self.crisis)
            and percentile(self.alert_ms, 99) <= ALERT_GOAL_MS
            and self.resources_first == len(self.crisis)
        )


def _goal(value: float, goal: float) -> str:
    return "ok" if value <= goal else "MISS"


HEADER = (
    f"{'backend':<8} {'run':<14} {'msgs':>5} {'in/s':>5} {'lost':>4} {'p50':>6} {'p99':>7} "
    f"{'max':>7} {'goal':>4} | {'crisis':>6} {'res1st':>6} {'alerts':>6} {'p50':>6} {'p99':>6} "
    f"{'goal':>4} | {'bot ms':>6} {'fake ms':>7} {'lag99':>6}"
)


def row(run: Run) -> str:
    replies, alerts = run.latencies(), run.alert_ms
    p99, alert_p99 = percentile(replies, 99), percentile(alerts, 99)
    crisis = len(run.crisis)
    alert_goal = _goal(alert_p99, ALERT_GOAL_MS) if len(alerts) == crisis else "MISS"
    return (
        f"{run.backend:<8} {run.label:<14} {len(run.messages):>5} "
        f"{len(run.messages) / run.measured['chat_seconds']:>5.0f} {run.lost:>4} "
        f"{percentile(replies, 50):>6.1f} {p99:>7.1f} {max(replies, default=0):>7.1f} "
        f"{_goal(p99, REPLY_GOAL_MS):>4} | {crisis:>6} {run.resources_first:>6} "
        f"{len(alerts):>6} {percentile(alerts, 50):>6.0f} {alert_p99:>6.0f} {alert_goal:>4} | "
        f"{run.cpu_ms('bot'):>6.2f} {run.cpu_ms('fake'):>7.2f} "
        f"{percentile(run.loop_lag_ms, 99):>6.1f}"
    )


def by_kind(runs: list[Run]) -> list[str]:
    """Reply latency p50/p99 (ms) per message kind, one line per run."""
    kinds = ["greeting", "warning_sign", "plan_request", "coping", "thanks", "crisis"]
    lines = [f"{'backend':<8} {'run':<14} " + " ".join(f"{k:>16}" for k in kinds)]
    for run in runs:
        cells = []
        for kind in kinds:
            values = run.latencies(kind)
            cell = f"{percentile(values, 50):.0f}/{percentile(values, 99):.0f} n={len(values)}"
            cells.append(f"{cell:>16}" if values else f"{'-':>16}")
        lines.append(f"{run.backend:<8} {run.label:<14} " + " ".join(cells))
    return lines


DELIVERY_HEADER = (
    f"{'backend':<8} {'run':<14} {'faults injected':<34} {'crisis':>6} {'lost':>4} "
    f"{'res p50':>7} {'res p99':>7} | {'alerts lost':>11} {'staff msgs':>10} | "
    f"{'replies lost':>12} | {'twice':>5}"
)


def delivery_row(run: Run) -> str:
    injected = " ".join(f"{k}:{v}" for k, v in sorted(run.faults.items())) or "none"
    resources = run.resources_ms
    return (
        f"{run.backend:<8} {run.label:<14} {injected:<34} {len(run.crisis):>6} "
        f"{run.crisis_lost:>4} {percentile(resources, 50):>7.0f} {percentile(resources, 99):>7.0f}"
        f" | {run.alerts_lost:>11} {run.measured.get('staff_group_messages', 0):>10} | "
        f"{run.lost:>12} | {run.sent_twice:>5}"
    )


def print_report(runs: list[Run]) -> None:
    print()
    print(HEADER)
    print("-" * len(HEADER))
    for run in runs:
        print(row(run))
    print()
    print("delivery (goals: crisis lost 0, alerts lost 0, replies lost 0):")
    print("  " + DELIVERY_HEADER)
    for run in runs:
        print("  " + delivery_row(run))
    print(
        "  crisis lost: crisis messages never answered with the crisis resources (res p50/p99: ms\n"
        "  until they arrived); staff msgs: messages sent or edited in the staff group (one chat,\n"
        "  so one queue); twice: messages delivered twice because a late answer made the bot\n"
        "  send them again"
    )
    print()
    print("reply ms p50/p99 by message kind:")
    for line in by_kind(runs):
        print("  " + line)
    print()
    print(
        "msgs: client messages; in/s: messages pushed per second of chat; p50/p99/max: ms from\n"
        "push to the bot's first reply in that chat; crisis: crisis messages sent; res1st: their\n"
        "first reply carried the clinic's crisis resources and emergency number; alerts: crisis\n"
        "alerts seen in the staff group, p50/p99 ms from push; bot ms / fake ms: CPU ms per\n"
        "client message in the bot's process / the fake's; lag99: the bot's event-loop lag p99 ms"
    )
    print(f"goals: reply p99 <= {REPLY_GOAL_MS:.0f} ms, crisis alert p99 <= {ALERT_GOAL_MS:.0f} ms")
    messages = sum(len(r.messages) for r in runs)
    crisis = sum(len(r.crisis) for r in runs)
    print(
        f"checks: lost {sum(r.lost for r in runs)} of {messages} messages; crisis resources "
        f"first in {sum(r.resources_first for r in runs)} of {crisis} crisis replies; staff "
        f"alerts {sum(len(r.alert_ms) for r in runs)} of {crisis}; follow-ups arriving after "
        f"the next message {sum(r.measured['late_follow_ups'] for r in runs)}; other messages "
        f"answered with crisis resources {sum(r.unexpected_resources for r in runs)}"
    )
    errors = {s: n for r in runs for s, n in r.measured["by_status"].items() if s != "200"}
    if errors:
        print(f"non-200 answers from the fake: {errors}")
    print("all goals and checks met" if all(r.passed() for r in runs) else "GOALS OR CHECKS MISSED")
