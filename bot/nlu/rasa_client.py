"""Asks a Rasa server (`rasa run --enable-api`) what a message means."""

from __future__ import annotations

from typing import Any

import httpx

from bot.nlu.risk import assess_risk, crisis_reading, runner_up
from bot.nlu.thresholds import thresholds_for
from bot.nlu.understanding import Classification, Understanding

# Alternatives kept from Rasa's ranking, as for the embedded backend.
RANKING_SIZE = 5


class RasaError(RuntimeError):
    """Rasa could not be reached, answered with an error, or answered in a shape we don't know."""


class RasaClient:
    """One pooled HTTP client for one Rasa server; close it with `aclose()`."""

    def __init__(self, url: str, timeout_seconds: float) -> None:
        self.url = url.rstrip("/")
        self.timeout_seconds = timeout_seconds
        self._http = httpx.AsyncClient(base_url=self.url, timeout=timeout_seconds)

    async def classify(self, text: str) -> Classification:
        """Rasa's intent, confidence and ranking for `text`; raises RasaError on any failure."""
        try:
            response = await self._http.post("/model/parse", json={"text": text})
            response.raise_for_status()
            payload = response.json()
        except httpx.HTTPStatusError as exc:
            raise RasaError(f"Rasa answered HTTP {exc.response.status_code}") from exc
        except httpx.TimeoutException as exc:
            raise RasaError(f"Rasa did not answer within {self.timeout_seconds} s") from exc
        except httpx.HTTPError as exc:
            raise RasaError(f"Rasa unreachable at {self.url}: {type(exc).__name__}") from exc
        except ValueError as exc:
            raise RasaError("Rasa answered with something that is not JSON") from exc
        return classification_from_rasa(payload)

    async def parse(self, text: str) -> Understanding:
        """Rasa's reading of `text` with risk from the classifier alone (no safety net)."""
        classification = await self.classify(text)
        return Understanding(
            intent=classification.intent,
            confidence=classification.confidence,
            risk=assess_risk(classification, thresholds=thresholds_for("rasa")),
            source="rasa",
            ranking=classification.ranking,
            runner_up=runner_up(classification),
            crisis_score=crisis_reading(classification)[0],
            crisis_on_top=crisis_reading(classification)[1],
        )

    async def is_up(self) -> bool:
        """True when the server answers its status page."""
        try:
            response = await self._http.get("/")
        except httpx.HTTPError:
            return False
        return response.status_code < 500

    async def aclose(self) -> None:
        """Closes pooled connections."""
        await self._http.aclose()


def classification_from_rasa(payload: Any) -> Classification:
    """Maps a `/model/parse` answer to a Classification; raises RasaError on an unknown shape."""
    try:
        intent = payload["intent"]
        if intent["name"] is None:
            raise TypeError("intent name is null")
        name = str(intent["name"])
        confidence = float(intent["confidence"])
        ranking_items = payload.get("intent_ranking") or [intent]
        ranking = tuple(
            (str(item["name"]), float(item["confidence"])) for item in ranking_items[:RANKING_SIZE]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RasaError("Rasa's answer has no intent name and confidence") from exc
    return Classification(intent=name, confidence=confidence, ranking=ranking)
