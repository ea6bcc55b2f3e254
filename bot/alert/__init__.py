"""Escalation alerts to the clinic: raised by the domain, announced to staff, acted on, audited."""
