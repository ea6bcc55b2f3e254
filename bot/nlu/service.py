"""The one entry point for reading a client's message: safety net, then Rasa or embedded model."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bot.config import Settings
from bot.nlu.ask_cues import ask_cues
from bot.nlu.breaker import CircuitBreaker
from bot.nlu.emoji_words import emoji_as_words
from bot.nlu.figurative import figurative_matches
from bot.nlu.plan_match import match_plan
from bot.nlu.rasa_client import RasaClient
from bot.nlu.readable import too_little_to_read
from bot.nlu.risk import assess_risk, blend, crisis_reading, runner_up
from bot.nlu.safety_net import crisis_matches
from bot.nlu.thresholds import thresholds_for
from bot.nlu.training_data import DEFAULT_TRAINING_FILE
from bot.nlu.understanding import FALLBACK_INTENT, Classification, Risk, Understanding

if TYPE_CHECKING:  # scikit-learn takes a second to import: only when the model is loaded
    from bot.nlu.embedded import EmbeddedClassifier

log = logging.getLogger(__name__)

# Intent models learn from short messages; beyond this the start and the end carry the meaning.
CLASSIFIER_HEAD_CHARS = 600
CLASSIFIER_TAIL_CHARS = 400

Backend = Literal["embedded", "rasa"]
# Readings a restated warning sign or trigger replaces: concerning or unclear ones. A positive
# reading ("slept well for once") and a question or request keep their own intent.
PLAN_OVERRIDES = frozenset(
    {"report_lapse", "report_warning_sign", "report_trigger", "mood_low", "out_of_scope"}
    | {FALLBACK_INTENT}
)


class BackendUnavailable(RuntimeError):
    """The requested classifier is not configured or did not answer."""


class Understander:
    """Reads messages; `understand` never raises and never answers `none` risk on failure."""

    def __init__(
        self,
        *,
        embedded: EmbeddedClassifier | None,
        rasa: RasaClient | None = None,
        breaker: CircuitBreaker | None = None,
        embedded_error: str | None = None,
    ) -> None:
        self._embedded = embedded
        self._embedded_error = embedded_error
        self._rasa = rasa
        self._breaker = breaker or CircuitBreaker(retry_after=30.0)
        self._loader: Callable[[], Understander] | None = None
        self._loading: asyncio.Future[Understander] | None = None

    @classmethod
    def deferred(cls, loader: Callable[[], Understander]) -> Understander:
        """An understander whose model `load()` reads later, off the event loop (start-up)."""
        understander = cls(embedded=None, embedded_error="embedded model still loading")
        understander._loader = loader
        return understander

    async def load(self) -> None:
        """Load a deferred model in a thread, once; every reader waits for it."""
        loader = self._loader
        if loader is None:
            return
        if self._loading is None:
            self._loading = asyncio.ensure_future(asyncio.to_thread(loader))
        built = await self._loading
        self._embedded, self._embedded_error = built._embedded, built._embedded_error
        self._rasa, self._breaker = built._rasa, built._breaker
        self._loader = None

    async def understand(
        self, text: str, *, warning_signs: Sequence[str] = (), triggers: Sequence[str] = ()
    ) -> Understanding:
        """The reading of `text`: Rasa when configured and healthy, else the embedded model.

        `warning_signs` and `triggers` (the situations) are the client's own plan items, as
        written; a message that restates one is read as report_warning_sign / report_trigger
        with the item named in `matched_sign` / `matched_trigger` (see `with_plan`).
        """
        if self._loader is not None:
            await self.load()
        try:
            net = crisis_matches(text)
        except Exception:  # the net is pure code; if it breaks, a human reads the message
            log.exception("safety net failed")
            return _unclassified((), Risk.needs_review)
        try:
            cues = ask_cues(text)
        except Exception:  # the cues only raise risk; without them the net and classifier stand
            log.exception("ask cues failed")
            cues = ()
        try:
            excerpt = classifier_excerpt(text)
            if too_little_to_read(excerpt):
                return _unclassified(net, Risk.none, cues)
            classification, source = await self._classify_any(excerpt)
            risk_view = self._risk_view(classification, source, excerpt)
            result = _combine(
                classification, source, net, figurative_matches(excerpt), cues, risk_view
            )
        except Exception:
            log.exception("could not classify a message")
            result = _combine(None, "none", net, (), cues)
        return with_plan(result, text, warning_signs, triggers)

    async def understand_using(
        self,
        text: str,
        backend: Backend,
        *,
        warning_signs: Sequence[str] = (),
        triggers: Sequence[str] = (),
    ) -> Understanding:
        """The reading from one named backend, no fallback; raises BackendUnavailable."""
        net = crisis_matches(text)
        cues = ask_cues(text)
        excerpt = classifier_excerpt(text)
        if too_little_to_read(excerpt):
            return _unclassified(net, Risk.none, cues)
        if backend == "rasa":
            if self._rasa is None:
                raise BackendUnavailable("RASA_URL is not set")
            rasa = self._rasa
            try:
                async with asyncio.timeout(rasa.timeout_seconds):
                    classification = await rasa.classify(excerpt)
            except Exception as exc:
                raise BackendUnavailable(_describe(exc)) from exc
        else:
            if self._embedded is None:
                raise BackendUnavailable(self._embedded_error or "embedded model not loaded")
            classification = self._embedded.classify(excerpt)
        risk_view = self._risk_view(classification, backend, excerpt)
        result = _combine(
            classification, backend, net, figurative_matches(excerpt), cues, risk_view
        )
        return with_plan(result, text, warning_signs, triggers)

    def _risk_view(
        self, classification: Classification | None, source: str, excerpt: str
    ) -> Classification | None:
        """What the risk rules read: Rasa's ranking averaged with the embedded model's.

        Rasa's DIET is often sure of a wrong crisis reading; the embedded model (about 1 ms)
        tempers it. The intent, confidence and ranking shown stay Rasa's. Without the
        embedded model, Rasa's own ranking is read.
        """
        if classification is None or source != "rasa" or self._embedded is None:
            return classification
        try:
            return blend(classification, self._embedded.classify(excerpt))
        except Exception:
            log.exception("embedded classifier failed beside Rasa")
            return classification

    async def _classify_any(self, excerpt: str) -> tuple[Classification | None, str]:
        if self._rasa is not None and self._breaker.allows_call():
            try:
                async with asyncio.timeout(self._rasa.timeout_seconds):
                    classification = await self._rasa.classify(excerpt)
            except Exception as exc:
                self._breaker.record_failure(_describe(exc))
            else:
                self._breaker.record_success()
                return classification, "rasa"
        if self._embedded is None:
            return None, "none"
        try:
            return self._embedded.classify(excerpt), "embedded"
        except Exception as exc:
            self._embedded_error = _describe(exc)
            log.exception("embedded classifier failed")
            return None, "none"

    def health(self) -> dict[str, object]:
        """What is in use right now, for status pages and the CLI."""
        rasa_in_use = self._rasa is not None and self._breaker.state == "closed"
        in_use = "rasa" if rasa_in_use else "embedded" if self._embedded else "none"
        return {
            "backend": in_use,
            "rasa_url": self._rasa.url if self._rasa else None,
            "breaker": self._breaker.state if self._rasa else "unused",
            "breaker_openings": self._breaker.openings,
            "last_error": self._breaker.last_error or self._embedded_error,
            "model_hash": self._embedded.data_hash if self._embedded else None,
        }

    async def aclose(self) -> None:
        """Releases the Rasa connection pool."""
        if self._rasa is not None:
            await self._rasa.aclose()


def build_understander(
    settings: Settings,
    *,
    training_file: Path | None = None,
    use_rasa: bool = True,
) -> Understander:
    """An Understander for these settings; the embedded model is loaded or trained now."""
    from bot.nlu.embedded import load_or_train

    embedded: EmbeddedClassifier | None = None
    error: str | None = None
    try:
        embedded = load_or_train(training_file or DEFAULT_TRAINING_FILE, settings.data_dir / "nlu")
    except Exception as exc:  # messages still get the safety net and needs_review
        error = f"embedded model unavailable: {_describe(exc)}"
        log.error(error)
    rasa = None
    if use_rasa and settings.rasa_url:
        rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds)
    breaker = CircuitBreaker(retry_after=settings.rasa_retry_after_seconds)
    return Understander(embedded=embedded, rasa=rasa, breaker=breaker, embedded_error=error)


def safety_net_reading(text: str) -> Understanding | None:
    """The deterministic safety net alone, for when the understander itself failed.

    A crisis reading (source "safety_net") when a crisis pattern matches, else None.
    """
    try:
        net = crisis_matches(text)
    except Exception:  # the net is pure code; if it breaks, a human reads the message
        log.exception("safety net failed")
        return None
    return _unclassified(net, Risk.crisis) if net else None


def classifier_excerpt(text: str) -> str:
    """What the classifier sees: emoji as words, and only the start and end of a long text."""
    text = emoji_as_words(text.strip())
    if len(text) <= CLASSIFIER_HEAD_CHARS + CLASSIFIER_TAIL_CHARS:
        return text
    return f"{text[:CLASSIFIER_HEAD_CHARS]} {text[-CLASSIFIER_TAIL_CHARS:]}"


def with_plan(
    result: Understanding, text: str, warning_signs: Sequence[str], triggers: Sequence[str]
) -> Understanding:
    """`result` read against the client's own plan; it never lowers the risk.

    A restated warning sign or trigger is named (`matched_sign` / `matched_trigger`) whatever
    the risk. When the risk is none or elevated and the reading is concerning or unclear
    (PLAN_OVERRIDES), the intent becomes report_warning_sign / report_trigger at elevated risk;
    a lapse stays a lapse when it only names a trigger. For `Risk.ask` the plan item becomes
    the runner-up, the answer if the client says they are OK. Crisis and needs_review keep
    their reading.
    """
    if not warning_signs and not triggers:
        return result
    try:
        match = match_plan(text, warning_signs, triggers)
    except Exception:  # a plan item the matcher chokes on must not cost the reading
        log.exception("plan matching failed")
        return result
    if match is None:
        return result
    is_sign = match.kind == "sign"
    intent = "report_warning_sign" if is_sign else "report_trigger"
    named = dataclasses.replace(
        result,
        matched_sign=match.item if is_sign else None,
        matched_trigger=None if is_sign else match.item,
    )
    if result.risk is Risk.ask:
        return dataclasses.replace(named, runner_up=intent)
    if result.risk not in (Risk.none, Risk.elevated) or result.intent not in PLAN_OVERRIDES:
        return named
    if not is_sign and result.intent == "report_lapse":
        return named
    return dataclasses.replace(named, intent=intent, risk=Risk.elevated, runner_up=intent)


def _combine(
    classification: Classification | None,
    source: str,
    net: tuple[str, ...],
    figurative: tuple[str, ...] = (),
    cues: tuple[str, ...] = (),
    risk_view: Classification | None = None,
) -> Understanding:
    if classification is None:
        return _unclassified(net, assess_risk(None, net), cues)
    thresholds = thresholds_for(source)
    view = risk_view or classification
    score, on_top = crisis_reading(view, figurative)
    return Understanding(
        intent=classification.intent,
        confidence=classification.confidence,
        risk=assess_risk(view, net, figurative, thresholds, cues),
        source=source,
        ranking=classification.ranking,
        net_matches=net,
        runner_up=runner_up(classification),
        crisis_score=score,
        crisis_on_top=on_top,
        cue_matches=cues,
    )


def _unclassified(net: tuple[str, ...], risk: Risk, cues: tuple[str, ...] = ()) -> Understanding:
    """No classifier answer: the net (and ask cues) alone speak, and can only raise the risk."""
    risk = Risk.crisis if net else Risk.ask if cues else risk
    return Understanding(
        intent=FALLBACK_INTENT,
        confidence=0.0,
        risk=risk,
        source="safety_net" if net or cues else "none",
        net_matches=net,
        cue_matches=cues,
        runner_up=FALLBACK_INTENT if cues else None,
    )


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
