"""The console's alert handling rows now live with the alert (bot.alert.handling_models)."""

from bot.alert.handling_models import AlertHandling, HandlingStep, ResolutionReason

__all__ = ["AlertHandling", "HandlingStep", "ResolutionReason"]
