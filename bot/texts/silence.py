"""Gentle messages after missed check-ins (they ask for nothing), and the end of the taper."""

NUDGES = {
    1: (
        "Hi {name}, no need to reply. Just a reminder that your plan is here whenever you want "
        "it: /plan."
    ),
    2: (
        "Hello {name}. Nothing to answer, I'm just keeping the door open. If life is busy, that's "
        "a good sign. /pause stops check-ins for a while if you prefer."
    ),
    3: (
        "Hi {name}, still here, no reply needed. If you'd ever like to talk to someone at "
        "{clinic}, /return lets them know."
    ),
}

GRADUATION = (
    "{name}, this is the last planned check-in. Over these months you've looked after yourself "
    "on your own, and that's worth being proud of.\n\n"
    "Your plan in short:\n"
    "Early signs: {signs}\n"
    "What helps: {strategies}\n"
    "{people}"
    "\n/plan will keep showing your full plan, and /return tells {clinic} if you'd ever like to "
    "come back. Coming back is always a good choice, never a step back.\n\nTake care."
)
GRADUATION_PEOPLE = "People to call: {people}\n"
