"""Issue 9's targets on the held-out files, checked the same way for every backend."""

from __future__ import annotations

from bot.nlu.curve import IDIOM_TARGET, ORDINARY_ASKED_TARGET, ORDINARY_PAGED_TARGET
from bot.nlu.evaluation import BackendReport
from bot.nlu.held_out import TUNE, HeldOutFile
from bot.nlu.scorecard import MACRO_F1_TARGET, outcomes


def held_out_files() -> list[HeldOutFile]:
    """Every held-out file: labelled ones, then the figurative ones."""
    return TUNE.load()


def missed_targets(report: BackendReport) -> list[str]:
    """One line per target the report misses (empty when all are met)."""
    assert report.intents is not None
    crisis, ordinary, idioms = (outcomes(report, kind) for kind in ("crisis", "ordinary", "idiom"))
    n_ordinary = sum(len(items) for items in ordinary.values())
    n_idioms = sum(len(items) for items in idioms.values())
    missed = []
    if crisis["none"]:
        missed.append(f"crisis without resources: {[s.text for s in crisis['none']]}")
    if len(ordinary["paged"]) > ORDINARY_PAGED_TARGET * n_ordinary:
        missed.append(f"ordinary paged: {[s.text for s in ordinary['paged']]}")
    if len(ordinary["asked"]) > ORDINARY_ASKED_TARGET * n_ordinary:
        missed.append(f"ordinary asked: {[s.text for s in ordinary['asked']]}")
    flagged = idioms["paged"] + idioms["asked"]
    if len(flagged) > IDIOM_TARGET * n_idioms:
        missed.append(f"idioms paged or asked: {[s.text for s in flagged]}")
    if report.intents.macro_f1 < MACRO_F1_TARGET:
        missed.append(f"macro-F1 {report.intents.macro_f1:.3f} < {MACRO_F1_TARGET}")
    return missed
