"""What the therapist's side of the console says: clients, enrolment, plan, taper, timeline.

Kept apart from the templates' markup so a clinician can review the wording in one place.
"""

from __future__ import annotations

STATUS = {
    "invited": "Invited, not joined yet",
    "active": "Active",
    "paused": "Paused",
    "completed": "Graduated",
    "stopped": "Stopped",
    "blocked": "Blocked the bot",
}
ENDING_TYPE = {"planned": "Planned ending", "unplanned": "Unplanned ending"}
TEMPLATE = {
    "standard": "Standard: day 1, weeks 1, 2, 3, 4, 6, 8, 12, 16, 20, 26, 39, 52",
    "brief": "Brief: day 1, weeks 1, 2, 4, 8, 12, 26",
    "unplanned": "Unplanned ending: day 1, weeks 2, 6, 12, 26, 52, gentler wording",
    "custom": "Custom: your own days",
}
KIND = {
    "taper": "Taper",
    "manual": "Extra, sent by the clinic",
    "pulled_in": "Sooner (adaptive taper)",
    "caring": "Caring check-in",
}
CHECKIN_STATUS = {
    "scheduled": "Planned",
    "sending": "Sending",
    "sent": "Sent, no answer yet",
    "answered": "Answered",
    "missed": "Missed",
    "cancelled": "Cancelled",
}
MOOD = {1: "Very low", 2: "Low", 3: "OK", 4: "Good", 5: "Really good"}
DAY = "Day {n}"
WEEK = "Week {n}"
CATCH_UP = "Catch-up: also covers {count} past check-in(s)"
CLOCK_CHANGE = "Clocks change: {change}"
NEVER = "Never"
NONE_YET = "None yet"
NOTE_REMOVED = "Removed after the retention period"

EVENT = {
    "enrolled": "Enrolled",
    "invited": "Invite link made",
    "paused": "Check-ins paused",
    "resumed": "Check-ins resumed",
    "stopped": "Stopped all messages",
    "window_changed": "Check-in window changed",
    "timezone_changed": "Timezone changed",
    "checkin_sent_now": "Extra check-in sent",
    "plan_changed": "Plan edited",
    "follower_added": "A colleague follows this client",
    "follower_removed": "A colleague stopped following",
}
ENTRY = {
    "checkin": "Check-in",
    "message": "Wrote",
    "alert": "Alert raised",
    "alert_resolved": "Alert resolved",
    "taper_change": "Taper changed",
    "return_request": "Asked to come back",
    "event": "Change",
    "joined": "Joined on Telegram and agreed to the notice",
    "crisis_step": "Crisis walk-through",
    "question": "Asked directly about safety",
    "note": "Staff note",
}
TAPER_CHANGE = {
    "stepped_back": "Stepped back after a risk signal",
    "pulled_in": "Next check-in brought forward",
    "resumed": "Original taper resumed",
}
QUESTION = {
    "open": "no answer yet",
    "yes": "answered yes",
    "no": "answered no",
    "rather_not_say": "would rather not say",
    "wrote": "wrote instead",
    "unanswered": "no answer in time",
}

NOTICES = {
    "paused": "Check-ins are paused. Nothing is sent until you resume them.",
    "resumed": "Check-ins are running again; anything missed comes as one catch-up.",
    "unchanged": "Nothing changed: check-ins were already that way.",
    "checkin_sent": "An extra check-in is queued; it goes out within seconds.",
    "window_changed": "The check-in window is changed; the taper is replanned.",
    "timezone_changed": "The timezone is changed; the taper is replanned.",
    "plan_saved": "The plan is saved as a new version. /plan shows it now.",
    "note_added": "Note added to the timeline.",
    "followed": "They follow this client now.",
    "unfollowed": "They no longer follow this client.",
}
REFUSED_DUTY = "Duty staff can read clients but not change them."
NOTE_EMPTY = "Write the note first."
FOLLOWER_CHOOSE = "Choose the colleague."
SEARCH_HINT = "Search by name or pseudonym (the name is never put in the page's address)."
STEP_TITLES = ("Details", "Taper", "Plan", "Review")
ALREADY_CREATED = (
    "This client was already created from this form (client {pseudonym}). "
    "Open their page to make a new invite link."
)
DATE_NEEDED = "The ending date must be a date, like 2026-11-30."
NAME_NEEDED = "Write the client's name (how the bot addresses them), 1-100 characters."
WHAT_THEY_ARE_ASKED = (
    "Open the link on your phone. Telegram opens a chat with the clinic's assistant. It shows "
    "a short notice: what is kept, who reads it, and that it is not an emergency service. Tap "
    "“I agree” to start, or “Not now” (the link keeps working until it expires). After that, "
    "short check-ins arrive now and then, in your own time window; you can write at any time, "
    "see your plan with /plan, pause with /pause and stop with /stop."
)
TRY_NOTE = (
    "Each message is tried on its own, as if {name} sent it now, with their plan and status. "
    "Nothing is stored or sent, and no alert is raised."
)

# A client's language, in the console's own words.
LANGUAGES = {"en": "English", "es": "Spanish"}
