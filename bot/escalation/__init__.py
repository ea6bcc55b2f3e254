"""The one escalation policy: every situation -> what the client is told and what the clinic gets."""
