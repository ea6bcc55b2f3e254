"""When something happens, in the words a client reads."""

from bot.texts import Plural

TODAY = "today around {time}"
TOMORROW = "tomorrow around {time}"
ON_DAY = "on {day} around {time}"
DAYS = Plural("{count} day", "{count} days")
