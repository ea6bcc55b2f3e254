"""A check-in: the opening message, the questions, and the reflection afterwards."""

OPENERS_PLANNED = (
    "Hi {name}, a quick check-in. How have things been lately?",
    "Hello {name}. Time for a short check-in: how are you doing these days?",
    "Hi {name}. Just checking in, as planned. How has this stretch been for you?",
    "Hello {name}, it's check-in time. How are things going on your own?",
)
OPENERS_UNPLANNED = (
    "Hi {name}. Just a gentle hello from your clinic, no pressure at all. How are things?",
    "Hello {name}, thinking of you. If you feel like it, how have things been?",
    "Hi {name}. A short, no-obligation check-in: how are you doing?",
)
AFFIRMATIONS = (
    "You've got the tools from your work in therapy.",
    "You know your early signs and what helps.",
    "Whatever this week looked like, you're the one steering.",
)
MANUAL_NOTE = "(An extra check-in, sent by your clinic.)"
# Two days before a day the client marked in their plan; their own words, quoted.
CARING_OPENER = (
    "Hi {name}. {day} is a day you marked in your plan: “{situation}”. Thinking of you as it "
    "comes closer.\nWhat you planned for it: “{what_to_do}”\nHow are you doing?"
)

MOODS = {1: "Very low", 2: "Low", 3: "OK", 4: "Good", 5: "Really good"}
MOOD_EMOJI = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😄"}

SIGNS_QUESTION = (
    "Thanks. Have any of your early warning signs shown up lately? Tap any that fit, then Done."
)
NONE_OF_THESE = "None of these"
DONE = "Done"
NOTE_QUESTION = "Anything you'd like to add, in your own words? Just write it here, or tap Skip."
SKIP = "Skip"
ALREADY_CLOSED = "This check-in is already closed. Thanks, your answers are saved."
ANSWER_SAVED = "Saved."

REFLECT_MOOD = "You said things are {mood} {emoji}."
REFLECT_NO_SIGNS = "And none of your warning signs. That's worth noticing. Well done."
REFLECT_SIGNS = "You noticed: {signs}.\n\nYour plan has things for this:\n{strategies}"
REFLECT_PEOPLE = "\nPeople you can reach:\n{people}"
REFLECT_NOTE = "\nThanks for writing that down. It's saved with your check-in."
REFLECT_CLOSE = "\nIf you'd like to talk to the clinic, /return tells them. Next check-in: {next}."
REFLECT_CLOSE_LAST = "\nIf you'd like to talk to the clinic, /return tells them."
