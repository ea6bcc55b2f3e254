"""What a therapist reads when trying the bot as a client (`aftercare chat`, the console page)."""

NOTHING_KEPT = "Nothing was stored or sent, and no one was alerted."
WOULD_PAGE = "Would alert the clinic: {alerts}."
WOULD_NOT_PAGE = "Would not alert the clinic."
ALERT = "{type} ({severity}){merged}"
MERGED = ", added to the open alert of this kind"
READING = "Read as: {intent} ({confidence:.0%}), risk {risk}, by {source}; rule: {rule}."
URGENT = "first, ahead of anything else"
NO_REPLY = "(the bot would not answer)"
STAFF = "To the staff group"
CHAT_HELLO = (
    "Trying the bot as {name} ({pseudonym}). Write as they would; an empty line or Ctrl-D ends.\n"
    + NOTHING_KEPT.replace("was", "is")
)
PROMPT = "{name}> "
