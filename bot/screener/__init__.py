"""Validated screeners: PHQ-2/PHQ-9, GAD-2/GAD-7 and AUDIT-C riding on check-ins."""
