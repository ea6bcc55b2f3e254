"""The crisis operating point of each backend: when a reading pages the clinic, when it asks.

The numbers live in `thresholds.yml` beside this module, written by `aftercare nlu tune` from the
curve that `aftercare nlu eval` prints (see `bot/nlu/curve.py` for the rule); never edit them by
hand without rerunning the evaluation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import yaml

log = logging.getLogger(__name__)

THRESHOLDS_FILE = Path(__file__).with_name("thresholds.yml")


@dataclass(frozen=True)
class Thresholds:
    """Crisis probability at or above `page` pages the clinic; at or above `ask`, ask directly."""

    page: float
    ask: float

    def __post_init__(self) -> None:
        if not 0.0 < self.ask <= self.page <= 1.0:
            raise ValueError(f"need 0 < ask <= page <= 1, got ask={self.ask} page={self.page}")


# Used only when thresholds.yml is missing or unreadable: low, so that doubt still escalates.
FALLBACK_THRESHOLDS = Thresholds(page=0.5, ask=0.1)


def load_thresholds(path: Path = THRESHOLDS_FILE) -> dict[str, Thresholds]:
    """Backend name -> thresholds, from the YAML file; a broken file logs and falls back."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        backends = document["backends"]
        return {
            str(name): Thresholds(page=float(entry["page"]), ask=float(entry["ask"]))
            for name, entry in backends.items()
        }
    except FileNotFoundError:
        log.error("no crisis thresholds file at %s; using %s", path, FALLBACK_THRESHOLDS)
    except Exception as exc:
        log.error("unreadable crisis thresholds %s (%s); using %s", path, exc, FALLBACK_THRESHOLDS)
    return {}


_LOADED: dict[str, Thresholds] | None = None


def thresholds_for(backend: str, language: str = "en") -> Thresholds:
    """The operating point for "embedded" or "rasa" in one language (loaded once per process):
    English's are stored under the backend's name, another language's under
    `threshold_key` ("embedded_es"); a language not yet tuned uses English's."""
    global _LOADED
    if _LOADED is None:
        _LOADED = load_thresholds()
    return (
        _LOADED.get(threshold_key(backend, language))
        or _LOADED.get(backend)
        or _LOADED.get("embedded")
        or FALLBACK_THRESHOLDS
    )


def threshold_key(backend: str, language: str = "en") -> str:
    """Where a backend's operating point for a language is stored in thresholds.yml."""
    return backend if language == "en" else f"{backend}_{language}"


HEADER = """\
# Crisis operating points, one per NLU backend. Written by `aftercare nlu tune`; do not edit by
# hand. How they were chosen: on the tuning part, rasa_project/tests/tune/ (never trained on; the
# blind part, tests/blind/, is never tuned on), `aftercare nlu eval` prints for each threshold t
# the crisis recall (safety net, crisis read at >= t, or crisis as the top intent) and the share
# of ordinary messages and of figurative idioms that would be paged or asked. `tune` takes from
# that curve
#   ask  = the lower of: the highest t that keeps crisis recall at 100%, and the lowest t at which
#          at most half of issue 9's budgets would be paged or asked (ordinary 2.5%, idioms 2.5%);
#   page = the lowest t >= ask at which at most a quarter of the paging budget (ordinary 0.25%)
#          would be paged and no idiom would.
# What no threshold changes (safety net, ask cues, crisis as the top intent) counts on top.
# Part budgets leave room for messages unlike the held-out ones. `measured` is what tune saw.
"""


def write_thresholds(
    chosen: dict[str, Thresholds],
    details: dict[str, dict[str, object]],
    path: Path = THRESHOLDS_FILE,
) -> None:
    """Stores the chosen operating points (other backends' entries are kept) with the header."""
    global _LOADED
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        document = {}
    backends = document.get("backends") if isinstance(document, dict) else None
    backends = dict(backends) if isinstance(backends, dict) else {}
    for name, thresholds in chosen.items():
        backends[name] = {"page": thresholds.page, "ask": thresholds.ask, **details.get(name, {})}
    body = yaml.safe_dump({"backends": backends}, sort_keys=False, allow_unicode=True, width=100)
    Path(path).write_text(HEADER + body, encoding="utf-8")
    _LOADED = None
