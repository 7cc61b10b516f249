"""``tawsim train OUTDIR``: a spaCy entity recogniser from the approved sets, for suggestions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from app.cli.console import progress_bar, say
from app.core.domain import Selection


@click.command()
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--iterations", type=click.IntRange(1), default=10, show_default=True)
@click.option("--seed", type=int, default=13, show_default=True)
@click.pass_obj
def train(ctx: Any, outdir: Path, iterations: int, seed: int) -> None:
    """Train a blank Arabic spaCy pipeline (entities, CPU) on the approved sets and save it to
    OUTDIR (the previous pipeline there is replaced whole). Load it in the annotator's window
    (Annotate → Suggest with a model…) to pre-annotate documents."""
    from app.io.training.pipeline import train_pipeline

    records = ctx.core.records(Selection.APPROVED)
    with progress_bar("training", iterations) as bar:
        report = train_pipeline(
            records,
            outdir,
            iterations=iterations,
            seed=seed,
            progress=lambda done, _total: bar.update("", done),
        )
    click.echo(
        f"trained {report.name} on {report.documents} document(s), {report.spans} span(s) "
        f"({', '.join(report.labels)}); saved to {outdir}"
    )
    if report.spans_unaligned or report.spans_overlapping:
        say(
            f"left out {report.spans_unaligned} span(s) whose edges fall inside spaCy's "
            f"tokens and {report.spans_overlapping} nested in or overlapping a longer one"
        )
    click.echo("loss per iteration: " + " ".join(f"{x:g}" for x in report.losses))
