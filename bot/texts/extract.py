"""Babel's extractor for bot/texts/: every string constant a client module defines is a message
(module-level names, inside tuples and as dict values), so the texts stay plain English
constants and none can be left out of the catalogue. Used by `make catalogues` (babel.cfg)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import IO, Any

Found = tuple[int, str | None, str | tuple[str, str], list[str]]


def _strings(node: ast.AST) -> Iterator[tuple[int, str | tuple[str, str]]]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.lineno, node.value
    elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Plural":
        # Plural("{count} day", "{count} days"): one message with its plural form.
        one, other = (str(arg.value) for arg in node.args if isinstance(arg, ast.Constant))
        yield node.lineno, (one, other)
    elif isinstance(node, ast.Tuple | ast.List):
        for item in node.elts:
            yield from _strings(item)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _strings(value)


def constants(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[Found]:
    """Every module-level string constant, with the line it is on (Babel's extractor call)."""
    tree = ast.parse(fileobj.read().decode("utf-8"))
    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            for line, message in _strings(statement.value):
                if isinstance(message, tuple):
                    yield line, "ngettext", message, []
                elif any(character.isalpha() for character in message):
                    yield line, None, message, []
