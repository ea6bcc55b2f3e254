"""What the console says to staff, apart from the page templates: notices, errors, labels.

Kept here so a clinician can review the wording and it can be translated in one place.
"""

from __future__ import annotations

PRODUCT = "aftercare"

# Sign-in. One answer for a wrong password, an unknown email and a deactivated account.
SIGN_IN_REFUSED = "That email and password don't match an account that can sign in."
# Too many failures from this address for this account (the same for unknown emails).
SIGN_IN_HELD = (
    "Too many failed tries for this account from here. Please wait {wait} and try again. "
    "A clinic admin can also unlock your sign-in on the Staff page."
)
# Too many failures from this address, whatever the accounts (an admin's unlock does not lift it).
ADDRESS_HELD = "Too many failed sign-ins from this network. Please wait {wait} and try again."
CODE_HELD = (
    "Too many wrong codes from here. Please wait {wait} and try again. "
    "A clinic admin can also unlock your sign-in on the Staff page."
)
WAIT_SECONDS = "{n} seconds"
WAIT_MINUTE = "1 minute"
WAIT_MINUTES = "{n} minutes"
CODE_REFUSED = "That code isn't right. Type the 6 digits your authenticator app shows now."
CODE_REUSED = (
    "That code has just been used. Please wait for the next code (your app shows a new one "
    "every 30 seconds) and type that one."
)
PASSWORD_RULES = (
    "Your password needs at least {min} characters (up to {max}). A few unrelated words "
    "make a good one. It can't be your email address or only spaces."
)
FORM_RESTORED = (
    "You are signed in again. What you typed before is back in the form: check it, then send it."
)
CODE_SET_UP_NEEDED = (
    "Your clinic requires a code from an authenticator app as well as your password. "
    "Scan the QR code with the app, then type the 6 digits it shows."
)
SESSION_ENDED = "You were signed out. Please sign in again."
INVITE_UNUSABLE = (
    "This invite link can't be used: it may be mistyped, used already, replaced by a newer one, "
    "or older than 72 hours. Ask a clinic admin for a new one."
)
REQUEST_REFUSED = (
    "This request was refused because it did not come from a page of the console. Reload the "
    "page and try again."
)
FORBIDDEN = "Your role can't open this page. Ask a clinic admin if you need it."
NOT_FOUND = "There is nothing here. It may have been moved, or the link may be mistyped."
NOT_ALLOWED = "This page can't be used that way. Go back and try again from the console."
UNREADABLE = (
    "Something in that request could not be read (a value too long or of the wrong kind). "
    "Nothing was changed."
)
SERVER_ERROR = "Something went wrong on our side. Nothing was changed; please try again."

# After a change: keyed by the `notice` query parameter of the page it redirects to.
NOTICES = {
    "signed_out": "You are signed out.",
    "signed_out_everywhere": "You are signed out on every device.",
    "password_set": "Your password is set. Please sign in.",
    "form_kept": (
        "Your session had ended, so that was not saved yet. Sign in again: what you typed is "
        "kept for 30 minutes and put back in the form."
    ),
    "unlocked": "Their sign-in is unlocked: earlier failed tries no longer slow them down.",
    "taken": "You have taken this alert. The staff group shows it too.",
    "handed_over": "Handed over. They are told, and the staff group shows who has it now.",
    "resolved": "Resolved. The staff group shows it too.",
    "reopened": "Reopened: it is back in the queue with a new deadline.",
    "message_sent": "Your message is on its way to the client. Their answer will show here.",
    "return_updated": "The return request is updated.",
    "settings_saved": "Clinic settings saved.",
    "resources_saved": "Crisis resources saved. The next crisis reply carries them.",
    "closure_saved": "Closures saved.",
    "staff_added": "Staff member added.",
    "role_changed": "Role changed. Their sessions have ended; they sign in again.",
    "deactivated": "Deactivated. They are signed out and can't sign in or act on alerts.",
    "code_reset": "Their authenticator code is reset; they set it up again at their next sign-in.",
}

ALERT_ALREADY_TAKEN = "Someone has already taken this alert: {who}."
ALERT_ALREADY_RESOLVED = "This alert is already resolved."
ALERT_NOT_TAKEN = "Take the alert first; then you can hand it over."
ALERT_NOT_RESOLVED = "Only a resolved alert can be reopened."
HANDOVER_CHOOSE = "Choose the colleague who takes it over."
HANDOVER_INACTIVE = (
    "That colleague can't take alerts: their account is deactivated, they don't work the "
    "queue, or they have not signed in yet."
)
ALERT_NOT_ALLOWED = "Only active duty staff and clinic admins of this clinic can do this."
HANDOVER_ALREADY_THEIRS = "The alert is already with that colleague."
MESSAGE_NEEDED = "Write what to send the client."
CLIENT_UNREACHABLE = (
    "This client can't be written to on Telegram: they have not joined, stopped messages or "
    "their aftercare has ended. Use the phone or emergency contact above."
)
RESOLVE_NOTE_NEEDED = "Write a short note on what was done."
RESOLVE_REASON_NEEDED = "Choose why the alert can be closed."
REOPEN_NOTE_NEEDED = "Write a short note on why it is reopened."
REOPEN_BLOCKED = (
    "This client has a newer unresolved alert of the same kind (#{other}): work on that one."
)

SEVERITY = {"urgent": "Urgent", "elevated": "Elevated", "routine": "Routine"}
ALERT_TYPE = {
    "crisis": "Crisis",
    "warning_signs": "Warning signs",
    "lapse": "Lapse",
    "return_request": "Asks to come back",
    "missed_checkins": "Missed check-ins",
    "blocked": "Blocked the bot",
    "needs_review": "Needs review",
    "stopped": "Stopped messages",
}
ALERT_STATUS = {"open": "Open", "acknowledged": "Taken", "resolved": "Resolved"}
WHO = {"mine": "Mine", "unassigned": "Not taken yet"}
REASONS = {
    "contacted_client": "Contacted the client",
    "could_not_reach": "Could not reach the client",
    "emergency_services": "Called emergency services",
    "booked": "Booked an appointment",
    "not_a_concern": "Not a concern / misread",
    "duplicate": "Duplicate of another alert",
}
TRAIL = {
    "created": "Raised",
    "merged": "Seen again (merged)",
    "notified": "Announced in the staff group",
    "reminded": "Reminder sent",
    "escalated": "Escalated to clinic admins",
    "acknowledged": "Taken",
    "resolved": "Resolved",
    "notify_failed": "Staff group could not be told",
    "resources_sent": "Crisis resources delivered to the client",
    "handed_over": "Handed over",
    "reopened": "Reopened",
    "returned": "Back in the queue",
    "message_sent": "Message to the client",
    "client_replied": "The client replied",
}
# Why an alert was raised, from the message's reading, in words.
WHY_NET = "the words “{words}” matched the crisis net"
WHY_READ = "the classifier read it as {intent} ({confidence:.0%} sure)"
WHY_CUES = "words that call for asking directly: “{words}”"
WHY_UNSURE = "the classifier could not read it with confidence, so a person must"
INTENT = {
    "crisis": "a crisis",
    "report_warning_sign": "a warning sign",
    "report_trigger": "a trigger",
    "mood_low": "low mood",
    "report_lapse": "a lapse",
    "request_return": "a request to come back",
    "nlu_fallback": "unclear",
    "none": "nothing to read",
}
RISK = {
    "none": "No risk",
    "elevated": "Elevated risk",
    "crisis": "Crisis",
    "needs_review": "Needs review (the reading was unsure or failed)",
}
SOURCE = {
    "embedded": "the built-in classifier",
    "rasa": "the Rasa classifier",
    "safety_net": "the safety net (word rules)",
    "none": "no classifier answered",
}
ROLE = {"therapist": "Therapist", "duty": "Duty staff", "clinic_admin": "Clinic admin"}
CHANGED_SINCE_STARTED = "Someone else changed this since you started: saving will show both."
LIVE_SESSION_ENDED = (
    "Your session has ended. What you typed stays here: saving will ask you to sign in and keep it."
)
URGENT_NOTIFICATION = "Urgent alert #{id}: {type}, {client}"
CHANGED_MEANWHILE = (
    "Someone changed this request while you were editing. Yours was not saved: "
    "check what is there now, then save again if yours still applies."
)
RETURN_STATUS = {
    "new": "New",
    "contacted": "Contacted",
    "booked": "Booked",
    "declined": "Declined",
}
CHECKIN_STATUS = {
    "scheduled": "Scheduled",
    "sending": "Sending",
    "sent": "Sent, no answer yet",
    "answered": "Answered",
    "missed": "Missed",
    "cancelled": "Cancelled",
}

TIME_LEFT = "{left} left"
OVERDUE = "Overdue by {late}"
REVIEW_DUE = "Check this entry: last verified {verified_on}, more than 6 months ago."
AUDIT_ACTIONS = {
    "sign_in": "Signed in",
    "sign_in_failed": "Sign-in failed",
    "sign_in_locked": "Sign-in refused (too many failed tries)",
    "sign_in_unlocked": "Sign-in unlocked",
    "sign_out": "Signed out",
    "sign_out_everywhere": "Signed out everywhere",
    "password_set": "Password set",
    "code_enrolled": "Authenticator code set up",
    "code_reset": "Authenticator code reset",
    "totp_key_rotated": "Authenticator secrets sealed with a new key",
    "invite_issued": "Invite issued",
    "staff_added": "Staff member added",
    "staff_role_changed": "Role changed",
    "staff_deactivated": "Staff member deactivated",
    "telegram_code_issued": "Telegram link code issued",
    "group_code_issued": "Staff group link code issued",
    "clinic_settings_changed": "Clinic settings changed",
    "crisis_resources_changed": "Crisis resources changed",
    "closure_changed": "Closures changed",
    "alert_viewed": "Alert opened (client details read)",
    "alert_taken": "Alert taken",
    "alert_handed_over": "Alert handed over",
    "alert_resolved": "Alert resolved",
    "alert_reopened": "Alert reopened",
    "alert_returned": "Alert back in the queue (its holder was deactivated)",
    "alert_message_sent": "Wrote to the client from an alert",
    "return_request_changed": "Return request changed",
    "audit_exported": "Audit log exported",
    "client_enrolled": "Client enrolled",
    "client_invited": "Client invite link made",
    "client_changed": "Client's check-ins changed",
    "client_plan_changed": "Client's plan edited",
    "client_note_added": "Note added to a client's timeline",
    "client_followers_changed": "Client's followers changed",
    "client_timeline_viewed": "Client's timeline opened (their words read)",
    "client_tried": "Bot tried as a client",
}
