"""The console's view of the one `Settings`: the web fields live there; this adds what follows."""

from __future__ import annotations

from datetime import timedelta

from bot.config import Settings
from bot.console.sessions import Limits


class WebSettings(Settings):
    @classmethod
    def of(cls, settings: Settings) -> WebSettings:
        """The same values, without reading the environment again."""
        return cls.model_construct(**dict(settings))

    @property
    def secure(self) -> bool:
        """Served over HTTPS: cookies get Secure and the __Host- prefix."""
        return self.public_url.startswith("https://")

    @property
    def public_origin(self) -> str:
        scheme, _, rest = self.public_url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"

    @property
    def session_limits(self) -> Limits:
        return Limits(
            idle=timedelta(minutes=self.web_session_idle_minutes),
            absolute=timedelta(hours=self.web_session_max_hours),
        )
