"""The one entry point for reading a client's message: safety net, then Rasa or embedded model."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bot.config import Settings
from bot.nlu.ask_cues import ask_cues
from bot.nlu.ask_cues_es import ask_cues_es
from bot.nlu.breaker import CircuitBreaker
from bot.nlu.crisis_net import multilingual_matches
from bot.nlu.emoji_words import emoji_as_words
from bot.nlu.figurative import figurative_matches
from bot.nlu.figurative_es import figurative_matches_es
from bot.nlu.language import detect, identifier
from bot.nlu.plan_match import match_plan
from bot.nlu.rasa_client import RasaClient
from bot.nlu.readable import too_little_to_read
from bot.nlu.risk import assess_risk, blend, crisis_reading, runner_up
from bot.nlu.safety_net import crisis_matches
from bot.nlu.safety_net_es import crisis_matches_es
from bot.nlu.thresholds import thresholds_for
from bot.nlu.training_data import DEFAULT_LANGUAGE, TRAINING_FILES
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


@dataclass
class LanguageModels:
    """What reads one language: its embedded classifier and, when configured, its Rasa server."""

    embedded: EmbeddedClassifier | None
    rasa: RasaClient | None = None
    breaker: CircuitBreaker | None = None
    embedded_error: str | None = None

    def __post_init__(self) -> None:
        if self.breaker is None:
            self.breaker = CircuitBreaker(retry_after=30.0)

    @property
    def circuit(self) -> CircuitBreaker:
        assert self.breaker is not None
        return self.breaker


class Understander:
    """Reads messages; `understand` never raises and never answers `none` risk on failure.

    `embedded`, `rasa` and `breaker` read English; `languages` adds the other languages' models
    (Spanish: `build_understander` gives it one). A language without models is one the bot
    cannot read: such a message gets the crisis nets and, when long enough to identify, is
    marked unreadable for a person to read.
    """

    def __init__(
        self,
        *,
        embedded: EmbeddedClassifier | None,
        rasa: RasaClient | None = None,
        breaker: CircuitBreaker | None = None,
        embedded_error: str | None = None,
        languages: Mapping[str, LanguageModels] | None = None,
        detect: Callable[[str], str | None] | None = None,
    ) -> None:
        english = LanguageModels(embedded, rasa, breaker, embedded_error)
        self._models: dict[str, LanguageModels] = {DEFAULT_LANGUAGE: english, **(languages or {})}
        self._detect = detect
        self._loader: Callable[[], Understander] | None = None
        self._loading: asyncio.Future[Understander] | None = None

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this understander has a model for."""
        return tuple(self._models)

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
        self._models, self._detect = built._models, built._detect
        self._loader = None

    async def understand(
        self,
        text: str,
        *,
        language: str | None = None,
        warning_signs: Sequence[str] = (),
        triggers: Sequence[str] = (),
    ) -> Understanding:
        """The reading of `text`: Rasa when configured and healthy, else the embedded model.

        `language` is the client's ("en", "es"; None: the default, English): it picks the model.
        A message identified as another language the bot reads is read by that language's model;
        one identified as a language it cannot read is `unreadable` (the crisis nets still read
        it). `warning_signs` and `triggers` (the situations) are the client's own plan items, as
        written; a message that restates one is read as report_warning_sign / report_trigger
        with the item named in `matched_sign` / `matched_trigger` (see `with_plan`).
        """
        if self._loader is not None:
            await self.load()
        try:
            net = all_crisis_matches(text)
        except Exception:  # the net is pure code; if it breaks, a human reads the message
            log.exception("safety net failed")
            return _unclassified((), Risk.needs_review)
        try:
            cues = all_ask_cues(text)
        except Exception:  # the cues only raise risk; without them the net and classifier stand
            log.exception("ask cues failed")
            cues = ()
        asked = self._model_language(language)
        detected = self._detected(text)
        read_as = self._read_as(asked, detected)
        if read_as is None:
            return _unreadable(net, cues, asked, detected)
        models = self._models[read_as]
        try:
            excerpt = classifier_excerpt(text)
            if too_little_to_read(excerpt):
                result = _unclassified(net, Risk.none, cues)
            else:
                classification, source = await self._classify_any(models, excerpt)
                risk_view = self._risk_view(models, classification, source, excerpt)
                result = _combine(
                    classification,
                    source,
                    net,
                    all_figurative(excerpt),
                    cues,
                    risk_view,
                    read_as,
                )
        except Exception:
            log.exception("could not classify a message")
            result = _combine(None, "none", net, (), cues)
        result = dataclasses.replace(result, language=read_as, detected=detected)
        return with_plan(result, text, warning_signs, triggers)

    async def understand_using(
        self,
        text: str,
        backend: Backend,
        *,
        language: str | None = None,
        warning_signs: Sequence[str] = (),
        triggers: Sequence[str] = (),
    ) -> Understanding:
        """The reading from one named backend of `language`'s model, no fallback (the language
        check still runs, and still marks a message it cannot read); raises
        BackendUnavailable."""
        net = all_crisis_matches(text)
        cues = all_ask_cues(text)
        asked = self._model_language(language)
        if language is not None and not language.lower().startswith(asked):
            raise BackendUnavailable(f"no model reads {language!r}")
        detected = self._detected(text)
        read_as = self._read_as(asked, detected)
        if read_as is None:
            return _unreadable(net, cues, asked, detected)
        models = self._models[read_as]
        excerpt = classifier_excerpt(text)
        if too_little_to_read(excerpt):
            result = _unclassified(net, Risk.none, cues)
            return dataclasses.replace(result, language=read_as, detected=detected)
        if backend == "rasa":
            if models.rasa is None:
                suffix = "" if read_as == DEFAULT_LANGUAGE else f"_{read_as.upper()}"
                setting = f"RASA_URL{suffix}"
                raise BackendUnavailable(f"{setting} is not set")
            rasa = models.rasa
            try:
                async with asyncio.timeout(rasa.timeout_seconds):
                    classification = await rasa.classify(excerpt)
            except Exception as exc:
                raise BackendUnavailable(_describe(exc)) from exc
        else:
            if models.embedded is None:
                raise BackendUnavailable(models.embedded_error or "embedded model not loaded")
            classification = models.embedded.classify(excerpt)
        risk_view = self._risk_view(models, classification, backend, excerpt)
        result = _combine(
            classification, backend, net, all_figurative(excerpt), cues, risk_view, read_as
        )
        result = dataclasses.replace(result, language=read_as, detected=detected)
        return with_plan(result, text, warning_signs, triggers)

    def _model_language(self, language: str | None) -> str:
        """The model a client's language picks: its own, else the default (English)."""
        base = (language or DEFAULT_LANGUAGE).replace("_", "-").split("-")[0].lower()
        return base if base in self._models else DEFAULT_LANGUAGE

    def _detected(self, text: str) -> str | None:
        try:
            return (self._detect or detect)(text)
        except Exception:  # without the check the message is read in the client's language
            log.exception("language detection failed")
            return None

    def _read_as(self, asked: str, detected: str | None) -> str | None:
        """The model that reads the message: the client's, or the detected language's when the
        bot reads it; None when it is identified as a language the bot cannot read."""
        if detected is None or detected == asked:
            return asked
        return detected if detected in self._models else None

    def _risk_view(
        self,
        models: LanguageModels,
        classification: Classification | None,
        source: str,
        excerpt: str,
    ) -> Classification | None:
        """What the risk rules read: Rasa's ranking averaged with the embedded model's.

        Rasa's DIET is often sure of a wrong crisis reading; the embedded model (about 1 ms)
        tempers it. The intent, confidence and ranking shown stay Rasa's. Without the
        embedded model, Rasa's own ranking is read.
        """
        if classification is None or source != "rasa" or models.embedded is None:
            return classification
        try:
            return blend(classification, models.embedded.classify(excerpt))
        except Exception:
            log.exception("embedded classifier failed beside Rasa")
            return classification

    async def _classify_any(
        self, models: LanguageModels, excerpt: str
    ) -> tuple[Classification | None, str]:
        breaker = models.circuit
        if models.rasa is not None and breaker.allows_call():
            try:
                async with asyncio.timeout(models.rasa.timeout_seconds):
                    classification = await models.rasa.classify(excerpt)
            except Exception as exc:
                breaker.record_failure(_describe(exc))
            else:
                breaker.record_success()
                return classification, "rasa"
        if models.embedded is None:
            return None, "none"
        try:
            return models.embedded.classify(excerpt), "embedded"
        except Exception as exc:
            models.embedded_error = _describe(exc)
            log.exception("embedded classifier failed")
            return None, "none"

    def health(self) -> dict[str, object]:
        """What is in use right now, for status pages and the CLI (English first, then each
        other language under `languages`)."""
        report = {code: _health(models) for code, models in self._models.items()}
        return {**report[DEFAULT_LANGUAGE], "languages": report}

    async def aclose(self) -> None:
        """Releases the Rasa connection pools."""
        for models in self._models.values():
            if models.rasa is not None:
                await models.rasa.aclose()


def _health(models: LanguageModels) -> dict[str, object]:
    breaker = models.circuit
    rasa_in_use = models.rasa is not None and breaker.state == "closed"
    in_use = "rasa" if rasa_in_use else "embedded" if models.embedded else "none"
    return {
        "backend": in_use,
        "rasa_url": models.rasa.url if models.rasa else None,
        "breaker": breaker.state if models.rasa else "unused",
        "breaker_openings": breaker.openings,
        "last_error": breaker.last_error or models.embedded_error,
        "model_hash": models.embedded.data_hash if models.embedded else None,
    }


def build_understander(
    settings: Settings,
    *,
    training_file: Path | None = None,
    use_rasa: bool = True,
) -> Understander:
    """An Understander for these settings: an embedded model per language, loaded or trained now
    (English from `training_file` when given), Rasa per language where its URL is set, and the
    language detector's model loaded."""
    rasa_urls = {DEFAULT_LANGUAGE: settings.rasa_url, "es": settings.rasa_url_es}
    files = {**TRAINING_FILES, **({DEFAULT_LANGUAGE: training_file} if training_file else {})}
    models: dict[str, LanguageModels] = {}
    for code, path in files.items():
        cache = settings.data_dir / "nlu" / ("" if code == DEFAULT_LANGUAGE else code)
        models[code] = _models_for(settings, path, cache, rasa_urls.get(code) if use_rasa else None)
    try:
        identifier()
    except Exception as exc:  # without it every message is read in the client's language
        log.error("language detector unavailable: %s", _describe(exc))
    english = models.pop(DEFAULT_LANGUAGE)
    return Understander(
        embedded=english.embedded,
        rasa=english.rasa,
        breaker=english.breaker,
        embedded_error=english.embedded_error,
        languages=models,
    )


def _models_for(
    settings: Settings, training_file: Path, cache_dir: Path, rasa_url: str | None
) -> LanguageModels:
    from bot.nlu.embedded import load_or_train

    embedded: EmbeddedClassifier | None = None
    error: str | None = None
    try:
        embedded = load_or_train(training_file, cache_dir)
    except Exception as exc:  # messages still get the safety net and needs_review
        error = f"embedded model unavailable: {_describe(exc)}"
        log.error(error)
    rasa = RasaClient(rasa_url, settings.rasa_timeout_seconds) if rasa_url else None
    breaker = CircuitBreaker(retry_after=settings.rasa_retry_after_seconds)
    return LanguageModels(embedded, rasa, breaker, error)


def all_crisis_matches(text: str) -> tuple[str, ...]:
    """Every crisis net on one message: English, Spanish, then the multilingual phrases.

    All of them read every message, whatever its language: a crisis written in the "wrong"
    language, or too short to identify, still meets them."""
    found = crisis_matches(text)
    spanish = tuple(name for name in crisis_matches_es(text) if name not in found)
    return found + spanish + multilingual_matches(text)


def all_figurative(text: str) -> tuple[str, ...]:
    """The English and Spanish idioms that explain every death word in `text`."""
    return figurative_matches(text) + figurative_matches_es(text)


def all_ask_cues(text: str) -> tuple[str, ...]:
    """The English and Spanish ask cues found in `text`."""
    found = ask_cues(text)
    return found + tuple(name for name in ask_cues_es(text) if name not in found)


def safety_net_reading(text: str) -> Understanding | None:
    """The deterministic safety nets alone, for when the understander itself failed.

    A crisis reading (source "safety_net") when a crisis pattern matches, else None.
    """
    try:
        net = all_crisis_matches(text)
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
    language: str = DEFAULT_LANGUAGE,
) -> Understanding:
    if classification is None:
        return _unclassified(net, assess_risk(None, net), cues)
    thresholds = thresholds_for(source, language)
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


def _unreadable(
    net: tuple[str, ...], cues: tuple[str, ...], language: str, detected: str | None
) -> Understanding:
    """A message in a language the bot cannot read: the nets and cues alone speak, and a person
    reads it (needs_review at least; a net match is a crisis)."""
    reading = _unclassified(net, Risk.needs_review, cues)
    return dataclasses.replace(reading, language=language, detected=detected, unreadable=True)


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
