"""The clinic's crisis resources in the order a client should read them: the lines that serve
the client's language first, then the lines for every language, then the rest."""

from __future__ import annotations

import re

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def parse_languages(text: str) -> tuple[str, ...]:
    """ "es, EN" -> ("es", "en"); empty means the entry serves every language.

    Raises ValueError naming the first code that is not a two- or three-letter language code.
    """
    codes: list[str] = []
    for part in re.split(r"[,\s]+", text.strip().lower()):
        if not part:
            continue
        if not LANGUAGE_CODE.match(part):
            raise ValueError(part)
        if part not in codes:
            codes.append(part)
    return tuple(codes)


def in_language(text: str, languages: str | None, language: str | None) -> str:
    """`text` is one resource a line; `languages` holds each line's codes ("es,en"; "" for every
    language), a line each, as the entries were saved. Without them the text is as it was typed."""
    lines = text.split("\n")
    tags = (languages or "").split("\n")
    if languages is None or len(tags) != len(lines) or language is None:
        return text

    def rank(position: int) -> int:
        served = tags[position].split(",") if tags[position] else []
        if language in served:
            return 0
        return 1 if not served else 2

    order = sorted(range(len(lines)), key=lambda i: (rank(i), i))
    return "\n".join(lines[i] for i in order)
