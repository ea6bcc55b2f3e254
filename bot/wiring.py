"""Connects the domains that the outbox, a leaf, reports to: each registers what a sent, refused
or blocked message changes for it. Imported with the services, so every process has them."""

from bot.alert import outcomes as alert_outcomes
from bot.checkin import outcomes as checkin_outcomes
from bot.client import outcomes as client_outcomes
from bot.screener import outcomes as screener_outcomes

REGISTERED = (alert_outcomes, checkin_outcomes, client_outcomes, screener_outcomes)
