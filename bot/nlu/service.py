"""The one entry point for reading a client's message: safety net, then Rasa or embedded model."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Literal

from bot.config import Settings
from bot.nlu.breaker import CircuitBreaker
from bot.nlu.embedded import EmbeddedClassifier, load_or_train
from bot.nlu.emoji_words import emoji_as_words, has_letters
from bot.nlu.figurative import figurative_matches
from bot.nlu.rasa_client import RasaClient
from bot.nlu.risk import assess_risk
from bot.nlu.safety_net import crisis_matches
from bot.nlu.training_data import DEFAULT_TRAINING_FILE
from bot.nlu.understanding import FALLBACK_INTENT, Classification, Risk, Understanding

log = logging.getLogger(__name__)

# Intent models learn from short messages; beyond this the start and the end carry the meaning.
CLASSIFIER_HEAD_CHARS = 600
CLASSIFIER_TAIL_CHARS = 400

Backend = Literal["embedded", "rasa"]


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

    async def understand(self, text: str) -> Understanding:
        """The reading of `text`: Rasa when configured and healthy, else the embedded model."""
        try:
            net = crisis_matches(text)
        except Exception:  # the net is pure code; if it breaks, a human reads the message
            log.exception("safety net failed")
            return _unclassified((), Risk.needs_review)
        try:
            excerpt = classifier_excerpt(text)
            if not has_letters(excerpt):
                return _unclassified(net, Risk.none)
            classification, source = await self._classify_any(excerpt)
            return _combine(classification, source, net, figurative_matches(excerpt))
        except Exception:
            log.exception("could not classify a message")
            return _combine(None, "none", net)

    async def understand_using(self, text: str, backend: Backend) -> Understanding:
        """The reading from one named backend, no fallback; raises BackendUnavailable."""
        net = crisis_matches(text)
        excerpt = classifier_excerpt(text)
        if not has_letters(excerpt):
            return _unclassified(net, Risk.none)
        if backend == "rasa":
            if self._rasa is None:
                raise BackendUnavailable("RASA_URL is not set")
            try:
                async with asyncio.timeout(self._rasa.timeout_seconds):
                    classification = await self._rasa.classify(excerpt)
            except Exception as exc:
                raise BackendUnavailable(_describe(exc)) from exc
        else:
            if self._embedded is None:
                raise BackendUnavailable(self._embedded_error or "embedded model not loaded")
            classification = self._embedded.classify(excerpt)
        return _combine(classification, backend, net, figurative_matches(excerpt))

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


def classifier_excerpt(text: str) -> str:
    """What the classifier sees: emoji as words, and only the start and end of a long text."""
    text = emoji_as_words(text.strip())
    if len(text) <= CLASSIFIER_HEAD_CHARS + CLASSIFIER_TAIL_CHARS:
        return text
    return f"{text[:CLASSIFIER_HEAD_CHARS]} {text[-CLASSIFIER_TAIL_CHARS:]}"


def _combine(
    classification: Classification | None,
    source: str,
    net: tuple[str, ...],
    figurative: tuple[str, ...] = (),
) -> Understanding:
    if classification is None:
        return _unclassified(net, assess_risk(None, net))
    return Understanding(
        intent=classification.intent,
        confidence=classification.confidence,
        risk=assess_risk(classification, net, figurative),
        source=source,
        ranking=classification.ranking,
        net_matches=net,
    )


def _unclassified(net: tuple[str, ...], risk: Risk) -> Understanding:
    """No classifier answer: the net alone speaks, and can only raise the risk."""
    risk = Risk.crisis if net else risk
    return Understanding(
        intent=FALLBACK_INTENT,
        confidence=0.0,
        risk=risk,
        source="safety_net" if net else "none",
        net_matches=net,
    )


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
