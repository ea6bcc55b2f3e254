"""What the fake Bot API answers to each method, with the validation Telegram applies."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

from . import updates
from .faults import bad_request
from .params import UploadedFile, chat_key

JSON = dict[str, Any]
Params = dict[str, Any]
ChatKey = int | str

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
HTML_TAG = re.compile(r"<[^>]+>")


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text a client sees once HTML markup is parsed (other modes are left as sent)."""
    if parse_mode and parse_mode.upper() == "HTML":
        return html.unescape(HTML_TAG.sub("", text))
    return text


def checked_markup(markup: Any) -> JSON | None:
    """The inline keyboard to echo back, after Telegram's callback_data checks."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    for row in markup["inline_keyboard"]:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 0 < len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


class BotState:
    """Chats, messages, commands and files the fake bot knows about, plus its method table."""

    def __init__(self, username: str, bot_id: int | None) -> None:
        self.username = username
        self.bot_id = bot_id or 123456789
        self.chats: dict[ChatKey, JSON] = {}
        self.messages: dict[tuple[ChatKey, int], JSON] = {}
        self.open_callback_queries: set[str] = set()
        self.commands: dict[str, list[JSON]] = {}
        self.webhook: JSON = {"url": "", "has_custom_certificate": False}
        self.files: dict[str, tuple[bytes, str]] = {}
        self._last_message_id: dict[ChatKey, int] = {}
        self._file_counter = 0
        self.handlers: dict[str, Callable[[Params], Any]] = {
            "getMe": lambda p: self.me(),
            "deleteWebhook": self.delete_webhook,
            "setWebhook": self.set_webhook,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": lambda p: self.commands.get(self._scope_key(p), []),
            "deleteMyCommands": self.delete_my_commands,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "answerCallbackQuery": self.answer_callback_query,
            "sendDocument": self.send_document,
            "sendChatAction": self.send_chat_action,
            "getChat": self.get_chat,
            "leaveChat": self.leave_chat,
            "deleteMessage": self.delete_message,
            "getFile": self.get_file,
        }

    # -- shared pieces ------------------------------------------------------------------

    def me(self) -> JSON:
        """The bot's User object."""
        return updates.bot_user(self.bot_id, self.username)

    def chat(self, chat_id: ChatKey) -> JSON:
        """The Chat object for `chat_id`: as pushed, or a private chat for positive ids."""
        known = self.chats.get(chat_id)
        if known is not None:
            return known
        if isinstance(chat_id, int) and chat_id > 0:
            return updates.chat(chat_id)
        return updates.chat(chat_id if isinstance(chat_id, int) else -1, "supergroup")

    def next_message_id(self, chat_id: ChatKey) -> int:
        """The next id in the chat's single message sequence (shared by bot and user)."""
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        return message_id

    def store_file(self, content: bytes, folder: str, suffix: str = "") -> str:
        """Keep `content` downloadable; returns its new file_id."""
        self._file_counter += 1
        file_id = f"F{self._file_counter:06d}"
        self.files[file_id] = (content, f"{folder}/file_{self._file_counter}{suffix}")
        return file_id

    def _bot_message(self, chat_id: ChatKey, **content: Any) -> JSON:
        msg = updates.message(self.next_message_id(chat_id), self.chat(chat_id), self.me())
        msg.update({k: v for k, v in content.items() if v is not None})
        self.messages[(chat_id, msg["message_id"])] = msg
        return msg

    def _scope_key(self, p: Params) -> str:
        scope = p.get("scope") or {"type": "default"}
        return json.dumps([scope, p.get("language_code", "")], sort_keys=True)

    def _found_message(self, p: Params, missing: str) -> JSON:
        key = (required_chat(p), int(p.get("message_id") or 0))
        msg = self.messages.get(key)
        if msg is None:
            raise bad_request(missing)
        return msg

    # -- methods ------------------------------------------------------------------------

    def delete_webhook(self, p: Params) -> bool:
        self.webhook = {"url": "", "has_custom_certificate": False}
        return True

    def set_webhook(self, p: Params) -> bool:
        url = p.get("url") or ""
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {"url": url, "has_custom_certificate": False}
        return True

    def set_my_commands(self, p: Params) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for entry in commands:
            if not COMMAND_NAME.match(str(entry.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(entry.get("description", ""))) <= 256:
                raise bad_request("command description is empty")
        self.commands[self._scope_key(p)] = commands
        return True

    def delete_my_commands(self, p: Params) -> bool:
        self.commands.pop(self._scope_key(p), None)
        return True

    def send_message(self, p: Params) -> JSON:
        chat_id = required_chat(p)
        text = visible_text(str(p.get("text") or ""), p.get("parse_mode"))
        check_text(text)
        markup = checked_markup(p.get("reply_markup"))
        return self._bot_message(chat_id, text=text, reply_markup=markup)

    def edit_message_text(self, p: Params) -> JSON | bool:
        text = visible_text(str(p.get("text") or ""), p.get("parse_mode"))
        check_text(text)
        markup = checked_markup(p.get("reply_markup"))
        if p.get("inline_message_id"):
            return True
        msg = self._found_message(p, "message to edit not found")
        if msg.get("text") == text and msg.get("reply_markup") == markup:
            raise bad_request(NOT_MODIFIED)
        return self._edit(msg, text=text, reply_markup=markup)

    def edit_message_reply_markup(self, p: Params) -> JSON | bool:
        markup = checked_markup(p.get("reply_markup"))
        if p.get("inline_message_id"):
            return True
        msg = self._found_message(p, "message to edit not found")
        if msg.get("reply_markup") == markup:
            raise bad_request(NOT_MODIFIED)
        return self._edit(msg, reply_markup=markup)

    def _edit(self, msg: JSON, **changes: Any) -> JSON:
        # Telegram drops the inline keyboard when an edit does not repeat it.
        for key, value in changes.items():
            if value is None:
                msg.pop(key, None)
            else:
                msg[key] = value
        msg["edit_date"] = updates.now()
        return dict(msg)

    def answer_callback_query(self, p: Params) -> bool:
        query_id = str(p.get("callback_query_id") or "")
        if query_id not in self.open_callback_queries:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self.open_callback_queries.discard(query_id)
        return True

    def send_document(self, p: Params) -> JSON:
        chat_id = required_chat(p)
        document = p.get("document")
        caption = p.get("caption")
        if caption is not None and len(str(caption)) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        if isinstance(document, UploadedFile):
            file_id = self.store_file(document.content, "documents")
            info = {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": document.filename,
                "mime_type": document.content_type,
                "file_size": len(document.content),
            }
        elif isinstance(document, str) and document:
            info = {"file_id": document, "file_unique_id": f"u{document}"}
        else:
            raise bad_request("there is no document in the request")
        return self._bot_message(chat_id, document=info, caption=caption)

    def send_chat_action(self, p: Params) -> bool:
        required_chat(p)
        if p.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def get_chat(self, p: Params) -> JSON:
        chat = dict(self.chat(required_chat(p)))
        chat.update({"accent_color_id": 0, "max_reaction_count": 11})
        chat["accepted_gift_types"] = {
            key: False
            for key in ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
        }
        return chat

    def leave_chat(self, p: Params) -> bool:
        if self.chat(required_chat(p))["type"] == "private":
            raise bad_request("chat member status can't be changed in private chats")
        return True

    def delete_message(self, p: Params) -> bool:
        self._found_message(p, "message to delete not found")
        del self.messages[(required_chat(p), int(p["message_id"]))]
        return True

    def get_file(self, p: Params) -> JSON:
        file_id = str(p.get("file_id") or "")
        if file_id not in self.files:
            raise bad_request("invalid file_id")
        content, path = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": path,
        }


def required_chat(p: Params) -> ChatKey:
    """The call's chat id, or Telegram's 400 when it is missing."""
    chat_id = chat_key(p.get("chat_id"))
    if chat_id is None or chat_id == "":
        raise bad_request("chat_id is empty")
    return chat_id


def check_text(text: str) -> None:
    """Telegram's limits on a message's visible text."""
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")
