"""What the clinic's admins read in their own chats when the staff group stops receiving alerts."""

GROUP_FAILING = (
    "⚠️ The staff group of {clinic} is not receiving alerts: Telegram refused a message "
    "({error}).\n\n"
    "Until it is fixed, alerts reach staff only in the clinic console. Check that the bot is "
    "still a member of the group and may post there, or link a new group with /link."
)
GROUP_STILL_RETRYING = (
    "⚠️ Alerts for {clinic} have not reached the staff group for several minutes "
    "(Telegram: {error}). They are being retried; meanwhile see the clinic console."
)
