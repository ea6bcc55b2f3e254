"""Builders for Telegram update and message objects, shaped as the Bot API sends them."""

from __future__ import annotations

import time
from typing import Any

JSON = dict[str, Any]


def now() -> int:
    """Unix time in whole seconds, as Telegram stamps `date` fields."""
    return int(time.time())


def user(user_id: int, first_name: str = "Sam", **extra: Any) -> JSON:
    """A human User object."""
    return {"id": user_id, "is_bot": False, "first_name": first_name, **extra}


def bot_user(bot_id: int, username: str) -> JSON:
    """The bot's own User object, as getMe returns it."""
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": "Aftercare Test",
        "username": username,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def chat(chat_id: int, chat_type: str = "private", first_name: str = "Sam") -> JSON:
    """A Chat object: private chats carry the user's name, groups a title."""
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": first_name}
    return {"id": chat_id, "type": chat_type, "title": f"Group {chat_id}"}


def message(message_id: int, chat_obj: JSON, sender: JSON, **content: Any) -> JSON:
    """A Message object; `content` holds text/sticker/photo/... fields."""
    return {
        "message_id": message_id,
        "date": now(),
        "chat": chat_obj,
        "from": sender,
        **content,
    }


def command_entities(text: str) -> list[JSON]:
    """A `bot_command` entity for text starting with '/', so CommandHandler matches it."""
    if not text.startswith("/"):
        return []
    length = len(text.split(maxsplit=1)[0])
    return [{"type": "bot_command", "offset": 0, "length": length}]


def text_content(text: str) -> JSON:
    """Message fields for a text message, with command entities when it is a command."""
    content: JSON = {"text": text}
    entities = command_entities(text)
    if entities:
        content["entities"] = entities
    return content


def sticker_content(file_id: str, emoji: str = "🙂") -> JSON:
    """Message fields for a regular static sticker."""
    sticker = {
        "file_id": file_id,
        "file_unique_id": f"u{file_id}",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
    }
    return {"sticker": sticker}


def photo_content(file_ids: list[str], size: int, caption: str | None = None) -> JSON:
    """Message fields for a photo: Telegram sends several sizes, smallest first."""
    sizes = [
        {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "width": side,
            "height": side,
            "file_size": size,
        }
        for file_id, side in zip(file_ids, (90, 320, 800), strict=False)
    ]
    content: JSON = {"photo": sizes}
    if caption is not None:
        content["caption"] = caption
    return content


def voice_content(file_id: str, size: int, duration: int = 3) -> JSON:
    """Message fields for a voice note."""
    voice = {
        "file_id": file_id,
        "file_unique_id": f"u{file_id}",
        "duration": duration,
        "mime_type": "audio/ogg",
        "file_size": size,
    }
    return {"voice": voice}


def chat_member(member: JSON, status: str) -> JSON:
    """A ChatMember object for the statuses a bot sees about itself in private chats."""
    if status not in {"member", "left", "kicked"}:
        raise ValueError(f"unsupported chat member status {status!r}")
    result: JSON = {"user": member, "status": status}
    if status == "kicked":
        result["until_date"] = 0
    return result


def my_chat_member(chat_obj: JSON, actor: JSON, bot: JSON, old: str, new: str) -> JSON:
    """A ChatMemberUpdated object about the bot itself (blocked, unblocked, added)."""
    return {
        "chat": chat_obj,
        "from": actor,
        "date": now(),
        "old_chat_member": chat_member(bot, old),
        "new_chat_member": chat_member(bot, new),
    }


def callback_query(query_id: str, sender: JSON, chat_id: int, data: str, msg: JSON) -> JSON:
    """A CallbackQuery from an inline button on `msg`."""
    return {
        "id": query_id,
        "from": sender,
        "chat_instance": str(abs(chat_id) * 7919),
        "data": data,
        "message": msg,
    }
