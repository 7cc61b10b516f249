"""Arabic for terminals: most cannot shape or reorder it, so text printed to a TTY is reshaped
and reordered for display (arabic-reshaper + python-bidi). Output to a pipe or file keeps the
logical text, which any program reading it expects."""

from __future__ import annotations

import re
import sys

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def for_terminal(text: str, *, tty: bool | None = None) -> str:
    if tty is None:
        tty = sys.stdout.isatty()
    if not tty or not _ARABIC.search(text):
        return text
    from arabic_reshaper import reshape  # only for a terminal, only for Arabic
    from bidi import get_display

    return get_display(reshape(text), base_dir="R")
