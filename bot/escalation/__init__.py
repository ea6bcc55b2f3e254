"""The one escalation policy: every situation -> what the client is told, what the clinic gets."""
