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
