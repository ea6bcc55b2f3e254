"""The client's data: the /export copy and the /delete erasure, in plain words."""

# -- /export ----------------------------------------------------------------------------
EXPORT_CAPTION = "Your aftercare data, {date}"
EXPORT_SENT = (
    "Here's a copy of everything I keep about you: your plan, your check-in answers and what "
    "you've written to me. It opens in any text editor.\n\n"
    "Words you write are deleted after {retention}, so older ones show as deleted. "
    "Alerts {clinic} received about you are listed by type and date; notes their staff wrote "
    "stay with {clinic}, and you can ask them for those.\n\n"
    "/delete erases your data, if you'd ever like that."
)

# Written into the file itself, so the copy explains itself when opened later.
EXPORT_ABOUT = (
    "A copy of what the aftercare assistant of {clinic} keeps about you, made {made}. "
    "Times are in your time zone ({timezone})."
)
DELETED_AFTER = "[deleted after {days}]"
NOT_SENT_YET = "not sent yet"
SIGN_NO_LONGER_IN_PLAN = "a warning sign no longer in your plan"

# What each kind of alert meant, in the words the client reads in their copy.
ALERT_MEANING = {
    "crisis": (
        "Something you wrote or answered suggested you might be in danger, so the clinic was told."
    ),
    "warning_signs": "A check-in showed some of your warning signs.",
    "lapse": "You mentioned a lapse.",
    "return_request": "You asked to come back.",
    "missed_checkins": "Several check-ins went unanswered.",
    "blocked": "Messages to you could no longer be delivered.",
    "needs_review": "Something you wrote needed a person to read it.",
    "stopped": "You stopped messages, and the clinic was told.",
}

# -- /delete ----------------------------------------------------------------------------
DELETE_ASK = (
    "Would you like me to erase your data? That means your plan, your check-in answers and "
    "everything you've written here. After that I won't send you anything more.\n\n"
    "If you'd like a copy first, /export sends you one."
)
DELETE_YES = "Yes, delete my data"
DELETE_KEEP = "No, keep it"
DELETE_CONFIRM = (
    "This can't be undone. Your plan, answers and messages will be gone for good, and this "
    "chat will no longer be linked to {clinic}.\n\n"
    "{clinic} keeps its own records of your care, such as any alerts its staff received, but "
    "not your words."
)
DELETE_ALL = "Delete everything"
DELETE_CANCEL = "Cancel"
DELETE_CANCELLED = "Nothing has been deleted. Everything stays as it was."
DELETED = (
    "Done. Your plan, check-in answers and messages are erased, and I won't send you anything "
    "more. This chat stays on your phone until you clear it.\n\n"
    "If you'd ever like support again, {clinic} is glad to hear from you and can send you a "
    "new link.\n\n"
    "If you are in danger or need someone now, call {emergency} or:\n{crisis}\n\n"
    "Take good care of yourself."
)
