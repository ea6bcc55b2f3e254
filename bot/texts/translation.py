"""Every text a client reads, in their own language: a translator per message, from the compiled
gettext catalogues in bot/locales/ (never a process-wide `gettext.install`).

Texts are written in English as constants of the client's modules in bot/texts/ (CLIENT_MODULES);
Babel extracts every one of them into the catalogue (bot/texts/extract.py), and they are
translated where they are rendered, with the client's translator: `t = translator(language)`,
then `t(text.HELP).format(...)`. Dates and times follow the language too (`t.day`, `t.clock`).
"""

from __future__ import annotations

import functools
import gettext
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from babel.dates import format_date, format_time

from bot.texts import Plural

LOCALES = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "aftercare"
DEFAULT = "en"
# The languages a client can have; their names as the client reads them (for /language).
SUPPORTED = {"en": "English", "es": "Español"}


# A weekday and date in full, where a language words it differently.
LONG_DAY = {"es": "EEEE d 'de' MMMM"}
# The modules whose texts a client reads (the staff's own words stay English).
CLIENT_MODULES = (
    "checkin",
    "commands",
    "crisis",
    "data_rights",
    "dialogue",
    "errors",
    "onboarding",
    "plan",
    "silence",
    "time_words",
)


def supported(language: str | None) -> str | None:
    """The supported language a code such as "es-MX" or "ES" names, or None."""
    if not language:
        return None
    base = language.replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED else None


@dataclass(frozen=True)
class Translator:
    """One language's catalogue: call it with an English text to get it in that language."""

    language: str
    catalogue: gettext.NullTranslations

    def __call__(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def count(self, text: Plural, count: int) -> str:
        """E.g. "1 day" / "90 days" / "90 días": the language's form for this number."""
        return self.catalogue.ngettext(text.one, text.other, count).format(count=count)

    def day(self, moment: datetime) -> str:
        """E.g. "Tue 1 Dec" / "mar 1 dic": a weekday and date, in the language."""
        return format_date(moment, "EEE d MMM", locale=self.language)

    def full_date(self, day: date) -> str:
        """E.g. "December 7, 2026" / "7 de diciembre de 2026"."""
        return format_date(day, "long", locale=self.language)

    def long_day(self, day: date) -> str:
        """E.g. "Tuesday 1 December" / "martes 1 de diciembre"."""
        return format_date(day, LONG_DAY.get(self.language, "EEEE d MMMM"), locale=self.language)

    def clock(self, moment: datetime) -> str:
        return format_time(moment, "HH:mm", locale=self.language)


@functools.cache
def translator(language: str | None) -> Translator:
    """The translator for a client's language (English for none, or one not supported)."""
    chosen = supported(language) or DEFAULT
    return Translator(chosen, _catalogue(chosen))


def _catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue, or the .po file compiled in memory when no build step made one
    (a checkout run without `make`): a Spanish client must never silently get English."""
    folder = LOCALES / language / "LC_MESSAGES"
    source, compiled = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if source.exists() and (
        not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime
    ):
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with open(source, "rb") as po:
            buffer = io.BytesIO()
            write_mo(buffer, read_po(po, locale=language))
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.translation(DOMAIN, LOCALES, languages=[language], fallback=True)


class Reader(Protocol):
    """A client as far as language goes: their own, else their clinic's default."""

    language: str | None

    @property
    def clinic(self) -> Any: ...


def translator_for(client: Reader) -> Translator:
    """The translator for this client's language (their own, else their clinic's default)."""
    return translator(client.language or getattr(client.clinic, "default_language", None))
