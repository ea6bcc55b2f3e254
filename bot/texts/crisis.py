"""What a client sees first when a message may mean danger. Resources always come first."""

RESOURCES = (
    "I'm really glad you told me. Your safety comes first.\n\n"
    "If you are in danger now, call {emergency} or go to the nearest emergency department.\n\n"
    "{crisis}"
)
ALERTED = (
    "I've asked the team at {clinic} to contact you. I'm an automated assistant, so please use "
    "the numbers above if you need someone right now."
)
ALERTED_CLOSED = (
    "I've alerted the team at {clinic}. The clinic is closed right now and staff will see this "
    "{when}. Please use the numbers above if you need someone sooner."
)
NOT_ALERTED = (
    "I couldn't alert the team at {clinic} automatically just now. I'm an automated assistant, so "
    "please call one of the numbers above if you need someone now."
)
# A chat no clinic has linked: nobody is alerted, so the words never say anyone was.
STRANGER_RESOURCES = (
    "Your safety comes first.\n\n"
    "If you are in danger now, call {emergency} or go to the nearest emergency department.\n\n"
    "{crisis}\n\n"
    "I'm an automated assistant and this chat isn't linked to a clinic, so nobody has been "
    "alerted. Please reach out to one of the numbers above."
)
# The direct question: resources first, then the plain question (asking does not raise risk).
ASK = (
    "Thank you for telling me. I want to be sure I understand you, so I'll ask plainly.\n\n"
    "If you are in danger now, call {emergency} or go to the nearest emergency department.\n"
    "{crisis}\n\n"
    "Are you having thoughts of ending your life or harming yourself?"
)
ASK_YES = "Yes"
ASK_NO = "No, I'm OK"
ASK_RATHER_NOT = "I'd rather not say"
ASK_THANKS_NO = "Thank you for letting me know. I'm glad."
# "I need help now": from the menu or the button that stays under the input field.
HELP_NOW_BUTTON = "🆘 I need help now"
HELP_NOW = (
    "I'm here. Your safety comes first.\n\n"
    "If you are in danger now, call {emergency} or go to the nearest emergency department.\n\n"
    "{crisis}\n\n"
    "Next I'll go through your own plan with you, one step at a time."
)
HELP_NOW_ASK_TELL = (
    "Would you like me to tell {clinic} now, so someone there can reach out to you? "
    "I'm an automated assistant; staff read alerts during office hours ({office_hours})."
)
HELP_NOW_TELL = "Yes, tell them"
HELP_NOW_LATER = "Not now"
HELP_NOW_NOT_TOLD = (
    "OK, I haven't told anyone. If you change your mind, tap 🆘 I need help now again."
)
