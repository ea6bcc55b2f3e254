"""Everything a client or staff member reads, kept apart from logic so a clinician can review it."""

from typing import NamedTuple


class Plural(NamedTuple):
    """A text with a number in it: each language has its own forms (Spanish and English two,
    others more), chosen by `Translator.count`."""

    one: str
    other: str
