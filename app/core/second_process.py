"""A second Tawsim process, for work that can run on the other core of a laptop.

Started as this Python running ``python -m MODULE`` (the bundle, whose executable is Tawsim and
not Python: ``tawsim HIDDEN-COMMAND``, which :mod:`app.main` sends to the module's ``serve``).
Not :mod:`multiprocessing`, which would run the parent's main script again in the child. The two
talk over the child's standard input and output.
"""

from __future__ import annotations

import os
import sys

HIDDEN_COMMANDS = {
    "_offsets-decision": "app.io.unit_guess",
    "_writers": "app.io.writer_process",
    "_index-words": "app.store.word_process",
}
"""The bundle's hidden commands, and the module whose ``serve()`` each runs."""


def command(module: str) -> list[str]:
    """How to start ``module``'s ``serve()`` in a second process."""
    if getattr(sys, "frozen", False):  # the bundle
        [hidden] = [name for name, served in HIDDEN_COMMANDS.items() if served == module]
        return [sys.executable, hidden]
    return [sys.executable, "-m", module]


def threshold(variable: str, default: int) -> int:
    """From how large a job a second process is started: ``default``, unless the environment
    variable says otherwise (the tests and the bundle's smoke test set 0)."""
    said = os.environ.get(variable, "")
    return int(said) if said.isdigit() else default
