"""What staff read: alerts in the clinic's group, reminders, escalations, linking replies.

Staff messages carry the minimum: a pseudonym, never the client's name; their words only when the
clinic chose to share them.
"""

from __future__ import annotations

import html
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.alert.delivery import AlertView

SEVERITY = {
    "urgent": "🔴 URGENT",
    "elevated": "🟠 ELEVATED",
    "routine": "🟢 ROUTINE",
}
TYPE = {
    "crisis": "crisis",
    "warning_signs": "warning signs",
    "lapse": "lapse",
    "return_request": "asks to come back",
    "missed_checkins": "missed check-ins",
    "blocked": "blocked the bot",
    "needs_review": "needs review",
    "stopped": "stopped messages",
}
DEADLINE_FORMAT = "%a %d %b %H:%M"

ALERT = (
    "{severity} · {type} · client {pseudonym}\n"
    "Respond by {deadline} ({timezone}) · alert #{alert_id}\n"
    "{details}"
)
# With WEB_PUBLIC_URL set the group links to the alert's page; without it, the command line.
DETAILS_LINK = "Open in the console: {url}"
DETAILS_COMMAND = "Details: aftercare alerts show {alert_id}"
REPEATS = "\nSeen {count} times."
WORDS = "\nTheir words: “{words}”"
ACKNOWLEDGED = "\n\n✅ Acknowledged by {who}"
RESOLVED = "\n☑️ Resolved by {who}"
ACK_BUTTON = "Acknowledge"
RESOLVE_BUTTON = "Resolve"

REMINDER = (
    "⏰ OVERDUE by {overdue} · alert #{alert_id} · {severity} · {type} · client {pseudonym}\n"
    "{status}"
)
STATUS_OPEN = "Nobody has acknowledged it yet."
STATUS_ACKNOWLEDGED = "Acknowledged by {who}, not resolved yet."
ESCALATION = (
    "⏰ Alert #{alert_id} at {clinic} is past its deadline: {severity} · {type} · "
    "client {pseudonym}. It was due by {deadline} ({timezone}).\n"
    "Please make sure someone responds. {details}"
)
ESCALATED_IN_GROUP = "⏰ Alert #{alert_id} is overdue and has been escalated to: {admins}"
NO_ADMIN_LINKED = "no clinic admin has linked their Telegram account"
HANDED_OVER_LABEL = "{to} (handed over by {by})"
HANDED_TO_YOU = (
    "👋 {by} handed alert #{alert_id} to you: {severity} · {type} · client {pseudonym}. "
    "Respond by {deadline} ({timezone}).\n{details}"
)
HANDED_TO_YOU_NOTE = "\nTheir note: “{note}”"
RETURNED_NOTE = "{name} was deactivated: back in the queue for someone to take"
MINUTES = "{minutes} min"
HOURS = "{hours} h {minutes} min"

# The note prompt's first words identify the alert when staff reply; keep NOTE_PROMPT_START in it.
NOTE_PROMPT_START = "Resolving alert #"
NOTE_PROMPT = (
    "Resolving alert #{alert_id}. {who}, please reply to this message with a short note on what "
    "was done (e.g. 'called, safe, seeing GP tomorrow')."
)
NOTE_PLACEHOLDER = "What was done"
NOTE_EMPTY = "The note is empty. Please reply to the prompt with a few words on what was done."
ONLY_STAFF = "Only staff of {clinic} can do this."
ONLY_QUEUE_STAFF = (
    "Only duty staff and clinic admins act on alerts. Please ask whoever is on duty. "
    "Nothing was changed."
)
NOT_LINKED_STAFF = (
    "Only linked staff can do this. Link your account here with /staff <code> "
    "(from `aftercare staff link-code STAFF_ID`)."
)
# One line for every press (or note reply) that can't act here: forged data, an unknown alert, or
# any chat other than the clinic's staff group. The same words each time, so nobody can probe
# for alert ids.
NOT_HERE = "This doesn't work here. Nothing was changed."
STAFF_DEACTIVATED = (
    "Your staff account has been deactivated, so you can't act on alerts. Nothing was changed."
)
STAFF_CODE_DEACTIVATED = (
    "This staff member has been deactivated, so the code can't be used. Nothing was changed."
)
ACKNOWLEDGED_TOAST = "Acknowledged. Thank you."
ALREADY_ACKNOWLEDGED = "This alert is already acknowledged."
ALREADY_RESOLVED = "This alert is already resolved."
NOTE_ASKED = "Please reply to my message with a note."
RESOLVED_REPLY = "Alert #{alert_id} is resolved. Thank you."

LINK_USAGE = (
    "To receive a clinic's alerts here, send /link followed by the code from "
    "`aftercare clinic link-code CLINIC`."
)
GROUP_LINKED = (
    "This group now receives alerts for {clinic}.\n"
    "Each staff member: link your Telegram account with /staff followed by your code from "
    "`aftercare staff link-code STAFF_ID`, so the Acknowledge and Resolve buttons know who you are."
)
STAFF_USAGE = (
    "To link your account, send /staff followed by the code from "
    "`aftercare staff link-code STAFF_ID`."
)
STAFF_LINKED = (
    "Thanks, {name}: your Telegram account is linked to {clinic}. You can now acknowledge and "
    "resolve alerts here. Clinic admins: open a private chat with me and press Start, so I can "
    "reach you when an alert is overdue."
)
CODE_UNKNOWN = (
    "That code doesn't work: it may be mistyped, already used, or replaced by a newer one. "
    "Nothing was changed."
)
CODE_EXPIRED = (
    "That code has expired (codes last 24 hours). Please make a new one. Nothing was changed."
)
GROUP_TAKEN = (
    "This group already receives alerts for another clinic. Use a separate group for each clinic. "
    "Nothing was changed."
)
NOT_CLINIC_GROUP = "Please use this code in your clinic's staff group. Nothing was changed."
ACCOUNT_TAKEN = (
    "This Telegram account is already linked to another staff record. Nothing was changed."
)

# Keyed by bot.alert.staff_link.LinkProblem.
LINK_PROBLEMS = {
    "unknown": CODE_UNKNOWN,
    "expired": CODE_EXPIRED,
    "group_taken": GROUP_TAKEN,
    "not_clinic_group": NOT_CLINIC_GROUP,
    "account_taken": ACCOUNT_TAKEN,
}
# Keyed by bot.alert.flows.ActResult: what a button press or note reply is told.
REFUSALS = {
    "done": ACKNOWLEDGED_TOAST,
    "not_found": NOT_HERE,
    "not_staff": NOT_LINKED_STAFF,
    "already_acknowledged": ALREADY_ACKNOWLEDGED,
    "already_resolved": ALREADY_RESOLVED,
    "note_needed": NOTE_ASKED,
}


def details(view: AlertView) -> str:
    """Where to read more: the alert's console page, or the command when no URL is set."""
    if view.console_url:
        return DETAILS_LINK.format(url=view.console_url)
    return DETAILS_COMMAND.format(alert_id=view.alert_id)


def heading(view: AlertView) -> dict[str, Any]:
    """The fields every alert message may show."""
    return {
        "details": details(view),
        "alert_id": view.alert_id,
        "severity": SEVERITY[view.severity],
        "type": TYPE[view.type],
        "pseudonym": view.client_pseudonym,
        "deadline": view.local_deadline.strftime(DEADLINE_FORMAT),
        "timezone": view.clinic_timezone,
        "clinic": view.clinic_name,
    }


def render_alert(view: AlertView) -> str:
    """The group message: the minimum, then the client's words only if the clinic shares them."""
    body = ALERT.format(**heading(view))
    if view.count > 1:
        body += REPEATS.format(count=view.count)
    if view.client_words:
        body += WORDS.format(words=view.client_words[:1000])
    if view.acknowledged_by:
        body += ACKNOWLEDGED.format(who=view.acknowledged_by)
    if view.resolved_by:
        body += ("" if view.acknowledged_by else "\n") + RESOLVED.format(who=view.resolved_by)
    return body


def handed_to_you(view: AlertView, *, by: str, note: str | None) -> str:
    """The private message to a colleague an alert was handed to."""
    body = HANDED_TO_YOU.format(**heading(view), by=by)
    if note:
        body += HANDED_TO_YOU_NOTE.format(note=note[:500])
    return body


def duration(delta: timedelta) -> str:
    """'12 min' or '2 h 5 min'."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return MINUTES.format(minutes=minutes)
    return HOURS.format(hours=minutes // 60, minutes=minutes % 60)


def mention(name: str, user_id: int | None) -> str:
    """An HTML mention that notifies the person, or just their (escaped) name."""
    if user_id is None:
        return html.escape(name)
    return f'<a href="tg://user?id={user_id}">{html.escape(name)}</a>'
