"""Is there anything in a message for the classifier to read?

A lone letter, punctuation, markup, code, a URL or stray Unicode carries no meaning a classifier
can act on; on its own it must never read as a crisis (fuzzing once paged the clinic for a dotted
capital İ). Such text gets the fallback intent with risk none; the safety net still runs on the
whole message first and can still raise it to crisis.
"""

from __future__ import annotations

import re
import unicodedata

# Web and mail addresses, markup tags and entities, fenced and inline code: nothing to read.
_URL = re.compile(
    r"(?:https?|ftp)://\S+|\bwww\.\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|uk|io|co|de|fr|info|gov|edu|nhs|app|dev|me)\b\S*"
    r"|\b[\w.+-]+@[\w-]+\.[\w.-]+",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"</?[a-zA-Z!][^<>]{0,200}>|&#?\w{1,10};|```.*?```|`[^`\n]*`", re.DOTALL)
# A token with one of these inside it (not just at its edges) is code, a path or a formula.
_CODE_INSIDE = re.compile(r"[=(){}\[\]<>;$\\|`_/@#*+^~%&]")
# SQL and similar: a statement shape plus the punctuation code has and prose rarely does.
_STATEMENT = re.compile(
    r"\bselect\b.{0,80}\bfrom\b|\b(?:drop|create|alter|truncate)\s+(?:table|database)\b"
    r"|\binsert\s+into\b|\bdelete\s+from\b|\bunion\s+(?:all\s+)?select\b"
    r"|\bor\s+'?\d+'?\s*=\s*'?\d+|;\s*--|\b(?:function|def|var|const|let|return)\b.{0,40}[({=]",
    re.IGNORECASE | re.DOTALL,
)
_CODE_PUNCTUATION = re.compile(r"[;=*'\"(){}]")
_LETTERS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_REPEATS = re.compile(r"(.)\1+")
# Hesitation sounds, repeats folded: "hmmm" -> "hm". A message of nothing else is unclear.
_FILLERS = frozenset({"hm", "um", "uhm", "ehm", "erm", "er", "uh", "ah", "eh", "oh", "huh"})


def strip_marks(text: str) -> str:
    """`text` without combining marks: "i̇" (a lower-cased İ) becomes "i", "café" "cafe"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def readable_words(text: str) -> list[str]:
    """The words a classifier could read: runs of letters, two or more long (one for CJK).

    URLs, e-mail addresses, markup, code spans and code-like tokens are left out first.
    """
    # Pictographs and other symbols go before NFKC, which would turn "™" into the letters "TM".
    text = "".join(char for char in text if unicodedata.category(char) != "So")
    text = strip_marks(unicodedata.normalize("NFKC", text)).casefold()
    text = _MARKUP.sub(" ", _URL.sub(" ", text))
    if _STATEMENT.search(text) and _CODE_PUNCTUATION.search(text):
        return []
    words: list[str] = []
    for token in text.split():
        core = _strip_edges(token)
        if not core or _CODE_INSIDE.search(core):
            continue
        words.extend(w for w in _LETTERS.findall(core) if _is_word(w))
    return words


def too_little_to_read(text: str) -> bool:
    """True when `text` holds no word a classifier could read (see `readable_words`)."""
    return not readable_words(text)


def _strip_edges(token: str) -> str:
    """The token without the punctuation prose puts around words ("(so," "**bold**" "no!!")."""
    start, end = 0, len(token)
    while start < end and _is_punctuation(token[start]):
        start += 1
    while end > start and _is_punctuation(token[end - 1]):
        end -= 1
    return token[start:end]


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def _is_word(letters: str) -> bool:
    """Two letters or more once repeats are folded ("iii" is one letter), or one ideograph;
    hesitation sounds ("hmm", "erm") are not words either."""
    folded = _REPEATS.sub(r"\1", letters)
    return (len(folded) > 1 and folded not in _FILLERS) or _is_ideograph(letters)


def _is_ideograph(word: str) -> bool:
    """One CJK character is a whole word; one Latin letter is not."""
    return len(word) == 1 and unicodedata.name(word, "").startswith(
        ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")
    )
