"""Updates queued for the bot's getUpdates long polling, and builders for what users do."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from itertools import islice
from typing import Any

from . import updates
from .faults import ApiError
from .methods import BotState

JSON = dict[str, Any]
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
TERMINATED = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class UpdateFeed:
    """Pending updates with incrementing update_id; `push_*` queue what a user did."""

    def __init__(self, state: BotState) -> None:
        self.state = state
        self._pending: deque[JSON] = deque()
        self._last_update_id = 0
        self._callback_counter = 0
        self._poll_generation = 0
        self._closing = False
        self._updates_changed = asyncio.Event()
        # The language each user's Telegram is set to (sent as the sender's language_code).
        self.languages: dict[int, str] = {}

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by the bot through getUpdates' offset."""
        return list(self._pending)

    def _wake_pollers(self) -> None:
        changed, self._updates_changed = self._updates_changed, asyncio.Event()
        changed.set()

    def push_update(self, **payload: Any) -> JSON:
        """Queue a raw update (e.g. `message={...}`); returns it with its update_id."""
        self._last_update_id += 1
        update = {"update_id": self._last_update_id, **payload}
        self._pending.append(update)
        self._wake_pollers()
        return update

    def webhook_info(self, params: dict[str, Any]) -> JSON:
        """getWebhookInfo: the webhook set, and how many updates wait for the bot."""
        return {**self.state.webhook, "pending_update_count": len(self._pending)}

    def delete_webhook(self, params: dict[str, Any]) -> bool:
        """deleteWebhook, dropping the queued updates when asked to."""
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return self.state.delete_webhook(params)

    async def get_updates(self, params: dict[str, Any]) -> list[JSON]:
        """Telegram's getUpdates: confirm by offset, then wait up to `timeout` for updates."""
        if self.state.webhook.get("url"):
            raise ApiError(409, WEBHOOK_ACTIVE)
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        pending = self._pending
        if offset > 0:
            while pending and pending[0]["update_id"] < offset:
                pending.popleft()
        elif offset < 0:
            while len(pending) > -offset:
                pending.popleft()
        # A newer getUpdates ends any older one, as Telegram answers the older with 409.
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, TERMINATED)
            if pending:
                return list(islice(pending, limit))
            remaining = deadline - time.monotonic()
            if self._closing or remaining <= 0:
                return []
            changed = self._updates_changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                return []

    # -- what users do -----------------------------------------------------------------

    def _user_message(
        self, chat_id: int, user_id: int | None, first_name: str, chat_type: str, **content: Any
    ) -> JSON:
        chat_obj = updates.chat(chat_id, chat_type, first_name)
        self.state.chats[chat_id] = chat_obj
        sender = self._sender(user_id if user_id is not None else chat_id, first_name)
        return updates.message(self.state.next_message_id(chat_id), chat_obj, sender, **content)

    def _sender(self, user_id: int, first_name: str) -> JSON:
        language = self.languages.get(user_id)
        extra = {"language_code": language} if language else {}
        return updates.user(user_id, first_name, **extra)

    def set_language(self, user_id: int, language_code: str) -> None:
        """From now on this user's Telegram says it is set to `language_code`."""
        self.languages[user_id] = language_code

    def push_text(
        self,
        chat_id: int,
        text: str,
        user_id: int | None = None,
        first_name: str = "Sam",
        chat_type: str = "private",
        **extra: Any,
    ) -> JSON:
        """A user's text message; '/command args' carries a bot_command entity."""
        content = {**updates.text_content(text), **extra}
        return self.push_update(
            message=self._user_message(chat_id, user_id, first_name, chat_type, **content)
        )

    def push_group_text(
        self, group_chat_id: int, user_id: int, text: str, chat_type: str = "group"
    ) -> JSON:
        """A member's text message in a group or supergroup."""
        return self.push_text(group_chat_id, text, user_id=user_id, chat_type=chat_type)

    def push_callback(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        user_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Sam",
    ) -> JSON:
        """A tap on an inline button of message `message_id` the bot sent."""
        msg = self.state.messages.get((chat_id, message_id))
        if msg is None:
            # Telegram's shape for a message it no longer shows the bot.
            chat_obj = self.state.chat(chat_id)
            msg = {"chat": chat_obj, "message_id": message_id, "date": 0}
        self._callback_counter += 1
        query_id = f"{4_000_000_000 + self._callback_counter}"
        self.state.open_callback_queries.add(query_id)
        sender = self._sender(user_id if user_id is not None else chat_id, first_name)
        if chat_id not in self.state.chats:
            self.state.chats[chat_id] = updates.chat(chat_id, chat_type, first_name)
        query = updates.callback_query(query_id, sender, chat_id, data, dict(msg))
        return self.push_update(callback_query=query)

    def push_sticker(self, chat_id: int, user_id: int | None = None, emoji: str = "🙂") -> JSON:
        """A user's sticker."""
        file_id = self.state.store_file(b"RIFF-sticker", "stickers", ".webp")
        content = updates.sticker_content(file_id, emoji)
        return self.push_update(
            message=self._user_message(chat_id, user_id, "Sam", "private", **content)
        )

    def push_photo(
        self,
        chat_id: int,
        caption: str | None = None,
        content: bytes = b"\xff\xd8\xff-photo",
        user_id: int | None = None,
    ) -> JSON:
        """A user's photo in three sizes; each size is downloadable through getFile."""
        file_ids = [self.state.store_file(content, "photos", ".jpg") for _ in range(3)]
        fields = updates.photo_content(file_ids, len(content), caption)
        return self.push_update(
            message=self._user_message(chat_id, user_id, "Sam", "private", **fields)
        )

    def push_voice(
        self,
        chat_id: int,
        duration: int = 3,
        content: bytes = b"OggS-voice",
        user_id: int | None = None,
    ) -> JSON:
        """A user's voice note, downloadable through getFile."""
        file_id = self.state.store_file(content, "voice", ".oga")
        fields = updates.voice_content(file_id, len(content), duration)
        return self.push_update(
            message=self._user_message(chat_id, user_id, "Sam", "private", **fields)
        )

    def push_edited_text(
        self, chat_id: int, message_id: int, text: str, user_id: int | None = None
    ) -> JSON:
        """The user edited their earlier message `message_id` to `text`."""
        chat_obj = self.state.chats.get(chat_id) or updates.chat(chat_id)
        sender = updates.user(user_id if user_id is not None else chat_id)
        msg = updates.message(message_id, chat_obj, sender, **updates.text_content(text))
        msg["date"] -= 60
        msg["edit_date"] = updates.now()
        return self.push_update(edited_message=msg)

    def push_my_chat_member(
        self,
        chat_id: int,
        new_status: str = "kicked",
        old_status: str | None = None,
        user_id: int | None = None,
    ) -> JSON:
        """The user changed the bot's membership: 'kicked' is blocking it, 'member' unblocking."""
        old = old_status or ("member" if new_status in ("kicked", "left") else "kicked")
        chat_obj = self.state.chats.get(chat_id) or updates.chat(chat_id)
        actor = updates.user(user_id if user_id is not None else chat_id)
        change = updates.my_chat_member(chat_obj, actor, self.state.me(), old, new_status)
        return self.push_update(my_chat_member=change)

    def push_new_chat_member_bot(
        self, group_chat_id: int, by_user_id: int, chat_type: str = "group"
    ) -> JSON:
        """A user added the bot to a group: queues my_chat_member, returns the service message."""
        chat_obj = updates.chat(group_chat_id, chat_type)
        self.state.chats[group_chat_id] = chat_obj
        actor = updates.user(by_user_id)
        bot = self.state.me()
        self.push_update(
            my_chat_member=updates.my_chat_member(chat_obj, actor, bot, "left", "member")
        )
        msg = updates.message(
            self.state.next_message_id(group_chat_id), chat_obj, actor, new_chat_members=[bot]
        )
        return self.push_update(message=msg)
