"""The Understander against a fake Rasa on loopback: fallback, breaker, needs_review."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp import web

from bot.config import Settings
from bot.nlu.breaker import CircuitBreaker
from bot.nlu.embedded import EmbeddedClassifier
from bot.nlu.rasa_client import RasaClient
from bot.nlu.service import Understander, build_understander
from bot.nlu.understanding import Risk
from tests.support.loopback import serving

CRISIS_TEXT = "I don’t want to be alive anymore"


@dataclass
class FakeRasa:
    """Answers like `rasa run --enable-api`, or fails the way it is told to."""

    mode: str = "ok"
    calls: int = 0

    async def parse(self, request: web.Request) -> web.Response:
        self.calls += 1
        text = (await request.json())["text"]
        if self.mode == "error":
            return web.Response(status=500, text="boom")
        if self.mode == "hang":
            await asyncio.sleep(5)
        intent = "crisis" if "alive" in text else "mood_good"
        ranking = [{"name": intent, "confidence": 0.93}, {"name": "mood_low", "confidence": 0.04}]
        return web.json_response(
            {"text": text, "intent": ranking[0], "intent_ranking": ranking, "entities": []}
        )


@pytest.fixture
async def fake_rasa() -> AsyncIterator[tuple[FakeRasa, web.AppRunner, str]]:
    fake = FakeRasa()
    app = web.Application()
    app.router.add_post("/model/parse", fake.parse)
    async with serving(app) as (runner, base_url):
        yield fake, runner, base_url


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def understander_for(url: str, embedded: EmbeddedClassifier, clock: Clock) -> Understander:
    return Understander(
        embedded=embedded,
        rasa=RasaClient(url, timeout_seconds=0.3),
        breaker=CircuitBreaker(retry_after=30, clock=clock),
    )


@pytest.mark.parametrize("failure", ["error", "hang", "shutdown"])
async def test_falls_back_to_embedded_then_retries_rasa(
    fake_rasa: tuple[FakeRasa, web.AppRunner, str],
    embedded: EmbeddedClassifier,
    failure: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake, runner, url = fake_rasa
    clock = Clock()
    understander = understander_for(url, embedded, clock)
    first = await understander.understand("feeling good today")
    assert (first.source, first.intent) == ("rasa", "mood_good")
    assert (await understander.understand(CRISIS_TEXT)).risk == Risk.crisis

    if failure == "shutdown":
        await runner.cleanup()
    else:
        fake.mode = failure
    with caplog.at_level(logging.WARNING):
        during = [await understander.understand(CRISIS_TEXT) for _ in range(3)]
    assert {u.source for u in during} == {"embedded"}
    assert {u.risk for u in during} == {Risk.crisis}
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert understander.health()["breaker"] == "open"
    assert understander.health()["backend"] == "embedded"
    calls_while_open = fake.calls

    if failure != "shutdown":
        fake.mode = "ok"
        clock.now = 31.0
        back = await understander.understand("feeling good today")
        assert back.source == "rasa"
        assert fake.calls == calls_while_open + 1
        assert understander.health()["breaker"] == "closed"
    await understander.aclose()


async def test_hanging_rasa_costs_at_most_the_timeout(
    fake_rasa: tuple[FakeRasa, web.AppRunner, str], embedded: EmbeddedClassifier
) -> None:
    fake, _, url = fake_rasa
    fake.mode = "hang"
    understander = understander_for(url, embedded, Clock())
    started = asyncio.get_running_loop().time()
    result = await understander.understand("feeling good today")
    assert asyncio.get_running_loop().time() - started < 1.0
    assert result.source == "embedded"
    await understander.aclose()


class BrokenClassifier:
    def classify(self, text: str) -> None:
        raise RuntimeError("model file vanished")

    data_hash = "broken"


async def test_classifier_failure_means_needs_review() -> None:
    understander = Understander(embedded=BrokenClassifier())  # type: ignore[arg-type]
    routine = await understander.understand("feeling good today")
    assert routine.risk == Risk.needs_review
    assert routine.source == "none"
    crisis = await understander.understand(CRISIS_TEXT)
    assert crisis.risk == Risk.crisis
    assert crisis.source == "safety_net"
    assert "model file vanished" in str(understander.health()["last_error"])


async def test_both_backends_down_is_needs_review(
    fake_rasa: tuple[FakeRasa, web.AppRunner, str],
) -> None:
    fake, _, url = fake_rasa
    fake.mode = "error"
    understander = Understander(
        embedded=None, rasa=RasaClient(url, 0.3), breaker=CircuitBreaker(30)
    )
    assert (await understander.understand("hello")).risk == Risk.needs_review
    await understander.aclose()


async def test_odd_inputs_never_raise(embedded: EmbeddedClassifier) -> None:
    understander = Understander(embedded=embedded)
    long_text = "work was fine, the bus was late. " * 310 + "I want to end it all tonight"
    assert len(long_text) > 10_000
    result = await understander.understand(long_text)
    assert result.risk == Risk.crisis
    assert "end_my_life" in result.net_matches
    emoji = await understander.understand("😭😭")
    assert emoji.source == "embedded"
    assert (await understander.understand("🫠🫥")).source == "none"
    assert (await understander.understand("")).risk == Risk.none
    assert (await understander.understand("\x00\ufeff")).risk == Risk.none


async def test_build_understander_without_training_data(tmp_path: object) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, rasa_url=None)  # type: ignore[arg-type]
    missing = settings.data_dir / "missing.yml"
    understander = build_understander(settings, training_file=missing)
    assert (await understander.understand("hello")).risk == Risk.needs_review
    assert (await understander.understand("kms")).risk == Risk.crisis
    assert "unavailable" in str(understander.health()["last_error"])


async def test_build_understander_from_settings(tmp_path: object) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, rasa_url="http://127.0.0.1:9")  # type: ignore[arg-type]
    understander = build_understander(settings)
    health = understander.health()
    assert health["rasa_url"] == "http://127.0.0.1:9"
    assert health["model_hash"]
    result = await understander.understand("thanks so much")
    assert result.source == "embedded"
    assert understander.health()["breaker"] == "open"
    await understander.aclose()


async def test_a_sure_rasa_crisis_reading_is_tempered_by_the_embedded_model(
    fake_rasa: tuple[FakeRasa, web.AppRunner, str], embedded: EmbeddedClassifier
) -> None:
    """DIET can be sure (0.93 here) of a crisis nobody wrote; the blend asks instead of paging."""
    _, _, url = fake_rasa
    understander = understander_for(url, embedded, Clock())
    # FakeRasa reads anything with "alive" as crisis 0.93.
    text = "the garden's come alive since the rain, lovely"
    result = await understander.understand(text)
    assert (result.source, result.intent) == ("rasa", "crisis")
    assert result.net_matches == ()
    assert result.crisis_score < 0.93
    assert result.risk in (Risk.ask, Risk.none), result
    assert result.risk is not Risk.crisis
    # A real crisis still pages: the net does not depend on either model.
    assert (await understander.understand(CRISIS_TEXT)).risk is Risk.crisis
    await understander.aclose()


async def test_understand_keeps_its_old_signature(embedded: EmbeddedClassifier) -> None:
    understander = Understander(embedded=embedded)
    result = await understander.understand("hello there")
    assert (result.intent, result.risk, result.matched_sign, result.matched_trigger) == (
        "greet",
        Risk.none,
        None,
        None,
    )
    assert result.runner_up == "greet"
    assert not result.is_fallback


async def test_each_language_goes_to_its_own_rasa_server(
    fake_rasa: tuple[FakeRasa, web.AppRunner, str], tmp_path: object
) -> None:
    english, _, english_url = fake_rasa
    spanish = FakeRasa()
    app = web.Application()
    app.router.add_post("/model/parse", spanish.parse)
    async with serving(app) as (_, spanish_url):
        settings = Settings(
            _env_file=None, rasa_url=english_url, rasa_url_es=spanish_url, data_dir=tmp_path
        )
        understander = build_understander(settings)
        try:
            reading = await understander.understand("me siento bien hoy", language="es")
            assert (reading.source, reading.language) == ("rasa", "es")
            assert (spanish.calls, english.calls) == (1, 0)
            reading = await understander.understand("feeling good today")
            assert (reading.source, reading.language) == ("rasa", "en")
            assert (spanish.calls, english.calls) == (1, 1)
            health = understander.health()["languages"]
            assert health["es"]["rasa_url"] == spanish_url  # type: ignore[index]
        finally:
            await understander.aclose()


async def test_without_a_spanish_rasa_spanish_is_read_by_its_embedded_model(
    fake_rasa: tuple[FakeRasa, web.AppRunner, str], tmp_path: object
) -> None:
    english, _, english_url = fake_rasa
    settings = Settings(_env_file=None, rasa_url=english_url, data_dir=tmp_path)
    understander = build_understander(settings)
    try:
        reading = await understander.understand("me siento bien hoy", language="es")
        assert (reading.source, reading.language, english.calls) == ("embedded", "es", 0)
    finally:
        await understander.aclose()
