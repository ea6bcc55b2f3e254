"""When something happens, in the words a client reads."""

TODAY = "today around {time}"
TOMORROW = "tomorrow around {time}"
ON_DAY = "on {day} around {time}"
