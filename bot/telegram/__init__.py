"""The Telegram adapter. PTB reports RetryAfter waits as timedeltas when this is set."""

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")
