"""``tawsim report OUT.html``: the dashboard as one self-contained page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from app.cli.console import progress_bar, say
from app.cli.terminal_text import for_terminal


@click.command("report")
@click.argument("out", type=click.Path(path_type=Path))
@click.pass_obj
def report(ctx: Any, out: Path) -> None:
    """Write the dashboard to OUT as one self-contained HTML page (figures inside, nothing
    fetched): progress per annotator and label, the label and stance distributions, review
    decisions per day and agreement per week. An annotator's report holds their own work."""
    from app.io.report import check_target, write_report

    check_target(out)  # before anything is computed
    with progress_bar("reading the figures") as bar:
        board = ctx.core.dashboard(lambda n: bar.update("", n))
    write_report(board, out)
    who = for_terminal(board.viewer)
    scope = f"the work of {who} only" if board.own_work_only else "every annotator's work"
    say(
        f"wrote {out} ({scope}: {sum(a.total for a in board.annotators):,} set(s), "
        f"{board.decision_totals.total:,} review decision(s), {len(board.agreement)} week(s) "
        "of agreement)"
    )
