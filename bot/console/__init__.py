"""The clinic console's domain: staff accounts, sign-in, sessions, and the queues staff work."""
