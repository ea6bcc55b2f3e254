"""Validated screeners: the words around the questionnaires (the questionnaires' own wording lives,
unchanged, in bot/screener/instruments/), what staff read in alerts, and `client show`'s lines."""

# One line added to a check-in's opening message when screeners ride on it.
RIDES_ALONG = "Today there are also a few short standard questions after your check-in."
# Before the first question of a sitting.
INTRO = (
    "A few short standard questions now: the ones your clinic uses to follow how things go "
    "over time. Tap the answer that fits best, or Not now to leave them. Your clinic sees your "
    "answers."
)
STEP_UP = "Thank you. A few more questions from the same questionnaire."
NEXT_INSTRUMENT = "Thank you. Now a few questions from another short questionnaire."
ITEM_NUMBER = "{number} of {count}: {text}"
NOT_NOW = "Not now"
NOT_NOW_REPLY = "No problem, we'll leave these for now. Your answers so far are saved."
DONE = "Thank you, that's all. Your answers are saved."
REMINDER_START = (
    "Hi {name}. The few short questions from your last check-in are still here if you'd like "
    "to answer them, until {until}. Or tap Not now to leave them."
)
REMINDER_CONTINUE = (
    "Hi {name}. Whenever it suits you, here is where you left off (open until {until})."
)
CHOSEN = "✓ {label}"

# Answers to a tap (toasts).
SAVED = "Saved."
ALREADY_SAVED = "That one is already saved."
CLOSED = "These questions have closed. Thank you."
SKIPPED = "Left for now."

# What an alert says (never only a score: item 9 is named with its answer).
EVIDENCE_ITEM9 = "PHQ-9 item 9 (thoughts of being better off dead or of self-harm): {answer}"
EVIDENCE_ITEM9_ASKED = (
    'PHQ-9 item 9 "Several days", then asked directly about thoughts of suicide or self-harm: '
    "{answer} ({how})"
)
EVIDENCE_ITEM9_NO = 'item 9: several days. PHQ-9 item 9 "Several days"; No to the direct question'
EVIDENCE_ITEM9_UNANSWERED = (
    'PHQ-9 item 9 "Several days", then asked directly about thoughts of suicide or self-harm; '
    "no answer in time"
)
EVIDENCE_CHANGE = "{form} up {delta} since {since}: {reference} → {total}"
SINCE_ENDING = "the ending"
SINCE_FIRST = "the first screener ({date})"
TAPER_SIGNAL = "screener showed reliable deterioration"

# `aftercare client show` and the console's summaries.
SHOW_HEADING = "Screeners:"
SHOW_PLAN = "  plan: {families}{cutoff}{ending}"
SHOW_PLAN_NONE = "  plan: none (aftercare client update CLIENT --screeners phq,gad)"
SHOW_CUTOFF = "; AUDIT-C cut-off: {cutoff}"
SHOW_ENDING = "; at the ending: {totals}"
SHOW_NONE_YET = "  none sent yet"
SHOW_LINE = "  {when}  {form:<8} {status:<9} {result}"
SHOW_TOTAL = "{total} {band}"
SHOW_SHORT_FIRST = "{short} from {short_form}, then "
SHOW_CHANGE = "; {delta:+d} since {since}"
SHOW_SINCE_FIRST = "the first screener"
SHOW_RELIABLE_UP = " (reliable deterioration)"
SHOW_RELIABLE_DOWN = " (reliable improvement)"
SHOW_BACK_IN_CASENESS = "; back into caseness after recovery"
SHOW_ITEM9 = "; item 9: {answer}"
SHOW_ANSWERED = "{count} of {of} answered"
# `aftercare alerts show`: what in a screener raised the alert.
ALERT_ANSWER = 'screener answer: {form} item {number} "{wording}": {answer}'
ALERT_TOTAL = "screener total: {form} {result}"
