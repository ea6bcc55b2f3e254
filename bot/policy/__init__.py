"""The escalation policy a clinical lead signs: what each situation means for client and clinic."""
