"""Arabic-specific text helpers: matching keys, span snapping, invisible characters."""

from __future__ import annotations

from app.core.arabic.invisible import (
    BIDI_CONTROLS,
    INVISIBLE_CHARS,
    find_invisible,
    has_bidi_controls,
    visible_symbol,
)
from app.core.arabic.matching_key import FOLD_VERSION, MatchingKey, fold, matching_key
from app.core.arabic.span_snapping import snap_span, strip_leading_clitic

__all__ = [
    "BIDI_CONTROLS",
    "FOLD_VERSION",
    "INVISIBLE_CHARS",
    "MatchingKey",
    "find_invisible",
    "fold",
    "has_bidi_controls",
    "matching_key",
    "snap_span",
    "strip_leading_clitic",
    "visible_symbol",
]
