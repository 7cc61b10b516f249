"""Tawsim (توسيم): desktop annotation of Arabic news for NLP training sets."""

from __future__ import annotations

__version__ = "0.1.0"
