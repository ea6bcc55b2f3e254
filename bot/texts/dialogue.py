"""Replies to what a client writes in their own words; several versions so none sounds canned."""

GREET = ("Hi {name}. Good to hear from you.", "Hello {name}! How are things?", "Hey {name}, hello.")
THANKS = ("You're welcome.", "Any time, {name}.", "Glad it helped.")
GOODBYE = (
    "Take care, {name}.",
    "Bye for now. /plan is here whenever you need it.",
    "Take care of yourself.",
)
AFFIRM = ("Great.", "Good to know.", "OK, noted.")
DENY = ("OK, no problem.", "That's fine.", "Understood.")
OUT_OF_SCOPE = (
    "I'm a simple assistant, so I can't help with that one. I can show /plan, check in, or "
    "pass a message to your clinic with /return.",
    "That's outside what I can do, sorry. /help lists what I can.",
)
MOOD_GOOD = (
    "That's really good to hear, {name}. Notice what's helping; it's your own doing.",
    "Glad things feel good. You've worked for this.",
)
# A positive-sounding message that is not surely positive (a hedge, a flat or hopeless word):
# acknowledged, never congratulated.
ACKNOWLEDGE = (
    "Thanks for telling me how things are, {name}. I'm here if you want to say more.",
    "Thank you for letting me know, {name}. Your plan is here any time (/plan).",
)
BOT_CHALLENGE = (
    "I'm an automated assistant of {clinic}, not a person. Staff at the clinic read alerts about "
    "your messages during office hours ({office_hours}). In an emergency:\n{crisis}"
)
NEEDS_REVIEW = (
    "Thanks for writing. I couldn't quite take that in just now, so I've passed it to the team "
    "at {clinic} to read. They read messages during office hours ({office_hours})."
)
# A message in a language the bot cannot read: a person reads it; resources in case it is danger.
UNREADABLE = (
    "Thank you for writing. I'm an automated assistant and I can't read that language, so I've "
    "passed your message to the team at {clinic}. A person will read it during office hours "
    "({office_hours}).\n\n"
    "If you are in danger now, call {emergency} or go to the nearest emergency department.\n\n"
    "{crisis}"
)
UNREADABLE_CLOSED = (
    "Thank you for writing. I'm an automated assistant and I can't read that language, so I've "
    "passed your message to the team at {clinic}. The clinic is closed right now and a person "
    "will read it {when}.\n\n"
    "If you are in danger now, call {emergency} or go to the nearest emergency department.\n\n"
    "{crisis}"
)
FALLBACK = (
    "I'm not sure I understood. I'm an automated assistant, so I only know a few things. "
    "Did you mean one of these?"
)
FALLBACK_NONE_OF_THESE = "Something else"
FALLBACK_OTHER = (
    "Thanks for telling me. I've kept your message. If you'd like a person at {clinic} to read "
    "it, /return lets them know you'd like to talk."
)

WARNING_SIGN = (
    "Thanks for noticing that, {name}. Spotting it early is exactly what you practised.\n\n"
    "From your plan:\n{strategies}"
)
# A message that restates one of the client's own warning signs, named in their words.
WARNING_SIGN_NAMED = (
    "Thanks for noticing that, {name}. It's one of your own early warning signs: “{sign}”. "
    "Spotting it early is exactly what you practised.\n\nFrom your plan:\n{strategies}"
)
WARNING_PEOPLE = "\n\nPeople you can reach:\n{people}"
TRIGGER_NAMED = (
    "That sounds like a situation you planned for: “{situation}”.\n\n"
    "What you planned to do: {what_to_do}\n\nThings you can do:\n{strategies}"
)
TRIGGER = (
    "That sounds like one of the tricky situations you planned for.\n\n{triggers}\n\n"
    "Things you can do:\n{strategies}"
)
MOOD_LOW = (
    "I'm sorry things feel heavy right now, {name}. Lows come and go, and you have ways through "
    "them.\n\nFrom your plan:\n{strategies}"
)
LAPSE = (
    "Thank you for telling me, {name}. A slip is not a relapse, and it doesn't undo the work "
    "you've done. What helped before still works:\n{strategies}\n\n"
    "If you'd like to talk it through with someone at {clinic}, /return lets them know."
)
CLINIC_TOLD = "I've let {clinic} know, so someone can follow up."
CLINIC_TOLD_CLOSED = (
    "I've let {clinic} know. The clinic is closed right now; staff will see it {when}."
)

RETURN_NEW = (
    "That's a good choice, {name}, and a normal one. I've told {clinic} you'd like to come back. "
    "They aim to get in touch {respond_by}."
)
RETURN_OPEN = "Your request to come back is {status}. {clinic} aims to get in touch {respond_by}."
RETURN_STATUS = {
    "new": "with the clinic",
    "contacted": "in progress: the clinic has been in touch",
}

PAUSE_OFFER = (
    "Would you like me to pause check-ins? You can start them again any time with /resume."
)
PAUSE_YES = "Yes, pause"
PAUSE_NO = "No, keep them"
SCHEDULE_OFFER = (
    "When suits you best for check-ins? (Times are in {timezone}; to change the timezone, send "
    "/timezone followed by a place, like /timezone Europe/Paris.)"
)
SCHEDULE_DONE = "Done. Check-ins will come {window} from now on. Next one: {next}."
TIMEZONE_DONE = "Timezone set to {timezone}. Next check-in: {next}."
TIMEZONE_BAD = (
    "I don't know the timezone {timezone!r}. Try a name like Europe/London or America/New_York."
)
NOTHING_CHANGED = "OK, nothing changed."

CRISIS_STEP_COPING = (
    "When you're ready, here's something from your own plan you can try now:\n{items}"
)
CRISIS_STEP_PEOPLE = "People you said you could call:\n{items}"
CRISIS_STEP_PROFESSIONALS = "Professionals and crisis lines:\n{items}"
CRISIS_HELPED = "That helped"
CRISIS_NEXT = "Next"
CRISIS_HELPED_REPLY = "I'm glad. I'm here, and so is your plan (/plan)."
CRISIS_END = "That's your whole plan. Please use the numbers above if you need someone now."

LABELS = {
    "request_return": "Ask to come back",
    "ask_plan": "See my plan",
    "ask_coping": "Things I can do",
    "report_warning_sign": "I'm noticing warning signs",
    "mood_low": "I'm feeling low",
    "report_lapse": "I had a slip",
    "pause_checkins": "Pause check-ins",
    "change_schedule": "Change check-in times",
    "bot_challenge": "Who am I talking to?",
}
# The check-in windows offered by name (the hours follow the name).
WINDOW_NAMES = {"morning": "Morning", "midday": "Midday", "evening": "Evening", "late": "Late"}

# A message a person at the clinic wrote from an alert, signed with their first name.
FROM_CLINIC = (
    "{body}\n\n"
    "— {name}, {clinic}\n"
    "(Written by a person at your clinic. You can reply here: your answer goes to them.)"
)
