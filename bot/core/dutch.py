"""Dutch words the core needs in more than one place (dates in summaries, digests and redaction)."""

from __future__ import annotations

__all__ = ["MONTHS"]

MONTHS: tuple[str, ...] = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
