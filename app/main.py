"""The ``tawsim`` entry point: no command (or ``gui``) opens the desktop app, else the CLI.

Kept apart from ``app.cli`` and ``app.gui``, which must not import each other; Qt is imported
only when the GUI is asked for. ``tawsim screenshots OUTDIR`` (not listed in the help) renders
the main views to PNG offscreen, as ``python -m app.gui.screenshots`` does: the way a frozen
bundle, which has no ``python -m``, shows that it starts its GUI (scripts/build-bundle.sh).
"""

from __future__ import annotations

import importlib
import sys

from app.core.second_process import HIDDEN_COMMANDS, serve_quietly

GLOBAL_OPTIONS = {"--db", "--user"}


def _split_global_options(argv: list[str]) -> tuple[list[str], list[str]]:
    """Leading ``--db X`` / ``--user X`` (or ``--db=X``) options, and the rest."""
    options: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in GLOBAL_OPTIONS and i + 1 < len(argv):
            options += argv[i : i + 2]
            i += 2
        elif arg.split("=", 1)[0] in GLOBAL_OPTIONS and "=" in arg:
            options.append(arg)
            i += 1
        else:
            break
    return options, argv[i:]


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    options, rest = _split_global_options(argv)
    if not rest or rest[0] == "gui":
        from app.gui.app import main as gui_main

        sys.exit(gui_main(options + rest[1:]))
    if rest[0] in HIDDEN_COMMANDS:  # the bundle's second processes (app.core.second_process)
        sys.exit(serve_quietly(importlib.import_module(HIDDEN_COMMANDS[rest[0]]).serve))
    if rest[0] == "screenshots":
        from app.gui.screenshots import main as screenshots_main

        sys.exit(screenshots_main(rest[1:]))
    from app.cli.main import main as cli_main

    cli_main(argv)


if __name__ == "__main__":
    main()
