"""``tawsim pack`` / ``tawsim unpack``: annotation work carried between laptops in one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from app.cli.console import exit_if_conflicts, printable, progress_bar, tagged
from app.core.domain import Selection
from app.io.pack import pack, unpack


@click.command("pack")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--annotator", metavar="NAME", help="Only this annotator's sets.")
@click.option(
    "--include",
    type=click.Choice([s.value for s in Selection]),
    default="all",
    show_default=True,
    help="Which sets: approved, submitted (every set handed in) or all (with work in progress).",
)
@click.pass_obj
def pack_cmd(ctx: Any, out: Path, annotator: str | None, include: str) -> None:
    """Write annotation sets (and the documents they need) to OUT.tawsim."""
    with progress_bar("packing") as bar:
        report = pack(
            ctx.core,
            out,
            annotator=annotator,
            selection=Selection(include),
            progress=lambda n: bar.update("", n),
        )
    click.echo(
        f"packed {report.sets} set(s) with {report.spans} span(s) and "
        f"{report.documents} document(s) into {printable(report.path)}"
    )


@click.command("unpack")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def unpack_cmd(ctx: Any, path: Path) -> None:
    """Merge a .tawsim file into this database by UUID. A set that differs from the local one
    is reported as a conflict and the local one kept; the exit status is then 3."""
    ctx.creates = True  # a new laptop's database starts from a pack
    with progress_bar("unpacking") as bar:
        report = unpack(ctx.core, path, progress=lambda n: bar.update("", n))
    ctx.index_for_search()
    for conflict in report.conflicts:
        tagged("conflict", "yellow", conflict)
    for notice in report.notices:
        tagged("notice", "yellow", notice)
    click.echo(
        f"unpacked {printable(path)}: {report.documents_added} document(s) added, "
        f"{report.documents_reused} already present; {report.sets_added} set(s) added with "
        f"{report.spans_added} span(s), {report.sets_unchanged} unchanged, "
        f"{report.sets_conflicting} in conflict (local kept)"
    )
    if not report.changed:
        click.echo("nothing new: everything in this file was already here")
    exit_if_conflicts(report.sets_conflicting)
