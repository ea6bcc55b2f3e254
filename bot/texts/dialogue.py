"""Replies to what a client writes in their own words; several versions so none sounds canned."""

NEEDS_REVIEW = (
    "Thanks for writing. I couldn't quite take that in just now, so I've passed it to the team "
    "at {clinic} to read. They read messages during office hours ({office_hours})."
)
FALLBACK = (
    "I'm not sure I understood. I'm an automated assistant, so I only know a few things. "
    "Did you mean one of these?"
)
