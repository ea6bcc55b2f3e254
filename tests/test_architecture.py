"""The house's rules, read from the code: the domain never imports an adapter's library, the
domain folders' behaviour imports each other without a loop, the outbox is a leaf, and nothing
but the outbox's sender sends or edits a Telegram message.

Tables are the shared schema: a folder may read another's models (an erasure deletes alerts, an
alert names its client) without that counting as a dependency on the other's behaviour.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

BOT = Path(__file__).resolve().parents[1] / "bot"
DOMAIN = (
    "alert",
    "audit",
    "checkin",
    "client",
    "clinic",
    "conversation",
    "escalation",
    "outbox",
    "plan",
    "policy",
    "return_request",
    "screener",
    "staff",
    "taper",
    "texts",
)
ADAPTER_LIBRARIES = (
    "telegram",
    "fastapi",
    "starlette",
    "apscheduler",
    "httpx",
    "aiohttp",
    "jinja2",
)
# Where outbox rows become Telegram calls; nothing else may send or edit a message.
SENDER = BOT / "telegram" / "outbox_sender.py"
SENDING = {
    "send_message",
    "send_document",
    "send_photo",
    "send_voice",
    "send_sticker",
    "copy_message",
    "forward_message",
    "edit_message_text",
    "edit_message_reply_markup",
    "edit_message_caption",
    "edit_text",
    "edit_reply_markup",
    "reply_text",
    "reply_html",
    "reply_markdown",
    "reply_document",
    "reply_photo",
}


def modules(folder: Path) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(folder.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def runtime_imports(tree: ast.Module) -> Iterator[str]:
    """Imports made when the module loads (a function's own imports and TYPE_CHECKING are not)."""
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for child in [node] if not isinstance(node, ast.If | ast.Try) else ast.walk(node):
            if isinstance(child, ast.Import):
                yield from (alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                yield child.module
                yield from (f"{child.module}.{alias.name}" for alias in child.names)


def folder_of(module: str) -> str | None:
    """The domain folder whose behaviour `module` is (None for tables and anything else)."""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "bot" or parts[1] not in DOMAIN:
        return None
    if any(part.endswith("models") for part in parts[2:]):
        return None
    return parts[1]


def test_the_domain_never_imports_telegram_http_or_the_scheduler() -> None:
    found = [
        f"{path.relative_to(BOT.parent)} imports {name}"
        for folder in DOMAIN
        for path, tree in modules(BOT / folder)
        for name in runtime_imports(tree)
        if name.split(".")[0] in ADAPTER_LIBRARIES
    ]
    assert found == []


def domain_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {folder: set() for folder in DOMAIN}
    for folder in DOMAIN:
        for _path, tree in modules(BOT / folder):
            for name in runtime_imports(tree):
                other = folder_of(name)
                if other is not None and other != folder:
                    graph[folder].add(other)
    return graph


def a_loop(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node], _ = 1, path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (loop := visit(nxt)):
                return loop
        state[node], _ = 2, path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (loop := visit(start)):
            return loop
    return None


def test_the_domain_folders_import_each_other_without_a_loop() -> None:
    assert a_loop(domain_graph()) is None


def test_the_loop_finder_finds_a_loop() -> None:
    assert a_loop({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert a_loop({"a": {"b"}, "b": set()}) is None


def test_the_outbox_is_a_leaf() -> None:
    others = domain_graph()["outbox"] - {"texts"}
    assert others == set(), f"the outbox imports {sorted(others)}: register an outcome handler"


def test_only_the_outbox_sender_sends_or_edits_a_message() -> None:
    found = [
        f"{path.relative_to(BOT.parent)}:{node.lineno} calls {node.func.attr}"
        for path, tree in modules(BOT)
        if path != SENDER
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in SENDING
    ]
    assert found == []
