"""Commands any linked client can use, and replies to things the bot cannot take."""

HELP = (
    "I'm the automated aftercare assistant of {clinic}. Here's what I can do:\n\n"
    "/plan: your relapse-prevention plan\n"
    "/return: ask to come back for a session\n"
    "/pause: pause check-ins for a while · /resume: start them again\n"
    "/stop: stop all messages\n"
    "/privacy: what is kept and who reads it\n"
    "/export: a copy of your data · /delete: erase your data\n"
    "/language: change the language\n"
    "/help_now, or the 🆘 button: your crisis numbers and your plan at once\n\n"
    "You can also just write to me. Staff read alerts during office hours ({office_hours}). "
    "In an emergency:\n{crisis}"
)
PRIVACY = (
    "I'm an automated assistant of {clinic}.\n\n"
    "Kept: your plan, check-in answers, and what you write here. Free text is deleted after "
    "{retention}; the answers' tags (like 'low mood') stay so your clinic can see how "
    "things went.\n"
    "Read by: staff at {clinic}, when something you write suggests you may need support. They "
    "read alerts during office hours ({office_hours}).\n"
    "Yours: /export sends you a copy, /delete erases it, /stop stops all messages.\n\n"
    "This is not an emergency service. If you are in danger:\n{crisis}"
)
PAUSED = (
    "Check-ins are paused. Nothing will be sent until you say /resume. "
    "/plan still works whenever you need it."
)
ALREADY_PAUSED = "Check-ins are already paused. /resume starts them again."
RESUMED = "Welcome back. Check-ins are on again. Next one: {next}."
NOT_PAUSED = "Check-ins are on. Next one: {next}."
STOP_CONFIRM = (
    "Do you want to stop all messages from me? Your clinic will be told you've stopped, "
    "and you can ask them for a new link any time."
)
STOP_YES = "Yes, stop"
STOP_NO = "No, keep going"
STOPPED = (
    "Done. I won't send you anything more. Take care of yourself, {name}. Coming back is always "
    "possible: ask {clinic} for a new link."
)
STOP_CANCELLED = "Good, nothing changes."
NOT_ACTIVE = "Your aftercare plan has ended, so I can't do that. {clinic} can send you a new link."
STOPPED_REPLY = (
    "You've stopped messages from me. If you'd like to start again, ask {clinic} for a new link."
    "\n\nIf you are in danger now, call {emergency} or go to the nearest emergency department.\n"
    "{crisis}"
)

UNKNOWN_CHAT = (
    "Hello. I'm an automated assistant for clients of a therapy clinic, and I only work with a "
    "personal link from a therapist. Nothing you send here is kept."
)
NOT_TEXT = (
    "Thanks. I can only read text, so stickers, photos, voice notes and files don't reach anyone. "
    "If you'd like to tell me something, please type it.\n\n"
    "If you are in danger now, call {emergency} or go to the nearest emergency department.\n"
    "{crisis}"
)
EDITED = (
    "I can only read new messages, not edits. If your change matters, please send it again as "
    "a new message."
)
NO_GROUPS = (
    "I only talk to clients one to one. Please message me privately; nothing from this group is "
    "kept."
)
NEXT_NONE = "none planned"

# The chat's command menu, by command (Telegram shows it in the client's language).
MENU = {
    "help_now": "I need help now",
    "plan": "Your relapse-prevention plan",
    "return": "Ask to come back for a session",
    "help": "What I can do",
    "pause": "Pause check-ins",
    "resume": "Start check-ins again",
    "language": "Change the language",
    "privacy": "What is kept and who reads it",
    "export": "A copy of your data",
    "delete": "Erase your data",
    "stop": "Stop all messages",
}
LANGUAGE_ASK = "Which language would you like me to write in?"
LANGUAGE_DONE = "Done. I'll write to you in English from now on."
