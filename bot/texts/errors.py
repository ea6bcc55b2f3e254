"""What a client reads when something failed on the bot's side: honest, never claiming too much."""

SORRY = (
    "Sorry, something went wrong on my side and I couldn't finish that. Please try again in a "
    "little while. If you need someone now, use the crisis numbers in /plan."
)
