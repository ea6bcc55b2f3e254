"""Durable outbound messages: written in the same transaction as the decision, sent afterwards."""
