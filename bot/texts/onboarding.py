"""Joining: the invite link, the privacy and safety notice, consent, welcome."""

NO_CODE = (
    "Hello. This is the aftercare assistant of a therapy clinic. It only works with a "
    "personal link from your therapist or clinic.\n\n"
    "If you were given one, please open it again. If not, ask your clinic for a new link."
)
BAD_CODE = (
    "Sorry, that link doesn't work. Links can be used once and last 14 days.\n\n"
    "Please ask your clinic or therapist for a new one. It only takes them a minute."
)
ENDED = (
    "This link belongs to an aftercare plan that has ended. If you'd like to start again, "
    "your clinic can send you a new link."
)

NOTICE = (
    "Hi {name}. Before we start, here is how this works.\n\n"
    "• I'm an automated assistant of {clinic}, not a person. I'll check in now and then, "
    "less often as time goes on, and I can show you your plan whenever you ask.\n"
    "• What is kept: your check-in answers, what you write here, and your plan. Free text is "
    "deleted after {retention}. You can get a copy (/export) or stop (/stop) any time.\n"
    "• Who reads it: staff at {clinic} are alerted when something you write suggests you may "
    "need support. They read alerts during office hours ({office_hours}).\n"
    "• This is not an emergency service. If you are in danger or might harm yourself:\n"
    "{crisis}\n\n"
    "Is this OK with you?"
)
AGREE_BUTTON = "I agree"
DECLINE_BUTTON = "Not now"
DECLINED = (
    "That's completely fine. Nothing has been set up and nothing more will be sent.\n\n"
    "If you change your mind, open the link from your therapist again while it is still valid."
)
ALREADY_USED_BY_OTHER = (
    "This link has just been used from another chat. If that wasn't you, please tell your clinic."
)

WELCOME = (
    "Welcome, {name}. A note from {therapist}:\n\n"
    "“{closing_note}”\n\n"
    "Your first check-in comes {first_checkin}. It takes a minute: a tap or two, and a few "
    "words if you like.\n\n"
    "Any time: /plan shows your plan, /help lists what I can do, and the 🆘 button below "
    "brings your crisis numbers and your plan at once."
)
NO_UPCOMING = "when your clinic schedules one"
ALREADY_LINKED = "You're all set, {name}. /plan shows your plan and /help lists what I can do."
# /start from someone who stopped: no check-ins, how to come back, and help in an emergency.
STOPPED_START = (
    "Hello again, {name}. You stopped messages from me, so I'm not sending check-ins.\n\n"
    "If you'd like to start again, you're welcome to: ask {clinic} or your therapist for a "
    "new link and open it here. /plan still shows your plan.\n\n"
    "If you are in danger now, call {emergency} or go to the nearest emergency department.\n"
    "{crisis}"
)
# /start after the last planned check-in.
GRADUATED_START = (
    "Hello again, {name}. Your planned check-ins have come to an end, so I won't send more.\n\n"
    "/plan still shows your plan, and /return lets {clinic} know if you'd like to come back "
    "for a session. Coming back is always a good choice.\n\n"
    "If you are in danger now, call {emergency} or go to the nearest emergency department.\n"
    "{crisis}"
)
