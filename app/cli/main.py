"""The ``tawsim`` command line. Thin: parse options, call the core (or ``app.io``), print."""

from __future__ import annotations

import getpass
import importlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from app import __version__
from app.cli.console import exit_if_conflicts, progress_bar, say, tagged
from app.cli.terminal_text import for_terminal
from app.core.domain import Selection, SetStatus
from app.core.errors import TawsimError, resource_failure
from app.core.offset_units import OffsetUnit
from app.core.preferences import Preferences

# A command loads what it uses when it runs: `tawsim stats` does not load the formats, the
# training export, the agreement code or Alembic.
if TYPE_CHECKING:
    from app.io.importer import ImportSummary
    from app.store.core import Tawsim


class LazyChoice(click.Choice):  # type: ignore[type-arg]
    """``click.Choice`` whose choices are computed on first use (the format names, from the
    format registry, which loads every format module)."""

    def __init__(self, make: Callable[[], list[str]]):
        self._make = make
        self._made: tuple[str, ...] | None = None
        self.case_sensitive = True

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        if self._made is None:
            self._made = tuple(self._make())
        return self._made


def _import_formats() -> list[str]:
    from app.io import registry

    return ["auto", *[f.name for f in registry.import_formats()]]


def _export_formats() -> list[str]:
    from app.io import registry

    return [f.name for f in registry.export_formats()]


class LazyGroup(click.Group):
    """A group whose subcommands in ``lazy`` (name → "module.attribute") are imported only
    when run (or when the help lists them)."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, attribute = self.lazy[cmd_name].rsplit(".", 1)
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, cmd_name)


def default_user() -> str:
    """$TAWSIM_USER, else the profile chosen in the GUI, else the login name."""
    try:
        return os.environ.get("TAWSIM_USER") or Preferences.load().user_name or getpass.getuser()
    except (KeyError, OSError):
        return "admin"


class Context:
    """What every command shares: the application core, opened on first use."""

    def __init__(self, db: str | None, user: str | None):
        self.db_arg = db
        self.user = user or default_user()
        # Who the command line was told to act as (a team database refuses anyone but the
        # connection's login; a default picked from the profile or the account is not a claim).
        self.claimed = user or os.environ.get("TAWSIM_USER") or ""
        self.creates = False  # set by the commands that may create the database
        self._core: Tawsim | None = None

    @property
    def core(self) -> Tawsim:
        if self._core is None:
            from app.store.core import Tawsim
            from app.store.database import Database

            db = Database.open(self.db_arg, create=self.creates)
            try:
                self._core = Tawsim(db, self.user if db.team is None else self.claimed)
            except BaseException:
                db.close()
                raise
            report = self._core.migration
            if report is not None and report.upgraded:
                say(
                    f"upgraded the database from revision {report.from_revision} to "
                    f"{report.to_revision}; backup: {report.backup}"
                )
            for note in report.notes if report is not None else ():
                tagged("repaired", "yellow", note)
        return self._core

    def index_for_search(self) -> None:
        """Index what search cannot see yet (just imported, or left by an interrupted run)."""
        if self.core.search_index_pending():
            with progress_bar("indexing for search") as bar:
                self.core.build_search_index(lambda done, _total: bar.update("", done))

    def close(self) -> None:
        if self._core is not None:
            self._core.close()


pass_ctx = click.make_pass_decorator(Context)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    lazy={
        "review": "app.cli.review_commands.review",
        "users": "app.cli.user_commands.users",
        "team": "app.cli.team_commands.team",
        "train": "app.cli.train_command.train",
        "agree": "app.cli.agree_command.agree",
        "report": "app.cli.report_command.report",
        "pack": "app.cli.pack_commands.pack_cmd",
        "unpack": "app.cli.pack_commands.unpack_cmd",
    },
)
@click.option(
    "--db",
    "db",
    metavar="PATH_OR_URL",
    envvar="TAWSIM_DB",
    help="Database file or URL (default: tawsim.db in your user data folder).",
)
@click.option(
    "--user",
    metavar="NAME",
    help="Act as this user (default: $TAWSIM_USER, else the GUI's profile, else your login).",
)
@click.version_option(__version__, prog_name="tawsim")
@click.pass_context
def cli(ctx: click.Context, db: str | None, user: str | None) -> None:
    """Tawsim (توسيم): label Arabic news for NLP training sets.

    Run `tawsim` with no command (or `tawsim gui`) to open the desktop app.
    """
    ctx.obj = Context(db, user)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@cli.command()
@click.option(
    "--schema",
    "schema_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Label schema TOML (default: the bundled Arabic-news schema).",
)
@pass_ctx
def init(ctx: Context, schema_file: Path | None) -> None:
    """Create (or upgrade) the database, optionally choosing its label schema."""
    ctx.creates = True
    core = ctx.core
    core.join()
    if schema_file is not None:
        from app.core.schema import load_schema

        schema = load_schema(schema_file)
        kept = core.set_schema(schema)
        click.echo(f"schema {schema.name!r}: {', '.join(schema.label_names)}")
        if kept:
            say("kept labels that existing spans use: " + ", ".join(kept))
    click.echo(f"database ready: {core.db.url}")


IMPORT_FORMATS = LazyChoice(_import_formats)
EXPORT_FORMATS = LazyChoice(_export_formats)


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=IMPORT_FORMATS, default="auto", show_default=True)
@click.option("--annotator", metavar="NAME", help="Whose annotation the file's spans are.")
@click.option(
    "--status",
    type=click.Choice([s.value for s in SetStatus]),
    help="Status of imported annotation sets (default: the file's, else submitted).",
)
@click.option("--text-column", metavar="COL", help="CSV column / JSON field with the text.")
@click.option("--strict-labels", is_flag=True, help="Refuse labels the schema lacks.")
@click.option(
    "--offsets",
    type=click.Choice([u.value for u in OffsetUnit]),
    help="The unit the file's offsets count (default: decided per file from its spans).",
)
@pass_ctx
def import_cmd(
    ctx: Context,
    paths: tuple[Path, ...],
    fmt: str,
    annotator: str | None,
    status: str | None,
    text_column: str | None,
    strict_labels: bool,
    offsets: str | None,
) -> None:
    """Import .txt files or folders, JSONL (native, Prodigy, doccano, Label Studio), Label
    Studio .json, CSV, CoNLL/BIO, or brat .ann files (with their .txt). Exit status 1: a file
    was refused (nothing of it stored); 3: sets that differ from local ones were not stored."""
    from app.io.importer import ImportOptions, import_paths

    ctx.creates = True
    options = ImportOptions(
        format=fmt,
        annotator=annotator,
        status=SetStatus(status) if status else None,
        text_column=text_column,
        strict_labels=strict_labels,
        offsets=OffsetUnit(offsets) if offsets else None,
    )
    with progress_bar("importing") as bar:
        summary = import_paths(
            ctx.core, paths, options, progress=lambda path, n: bar.update(path.name, n)
        )
    _print_import_summary(summary)
    ctx.index_for_search()
    if summary.rejected:
        sys.exit(1)
    exit_if_conflicts(sum(len(f.conflicts) for f in summary.files))


def _print_import_summary(summary: ImportSummary) -> None:
    for f in summary.files:
        if f.offsets:
            say(f"{f.path}: offsets counted in {f.offsets}")
        if f.error is not None:
            tagged("rejected", "red", f.error)
        for line, kind in [
            *((str(c), "conflict") for c in f.conflicts),
            *((n, "notice") for n in f.notices),
            *((k, "kept as given") for k in f.kept_as_given),
        ]:
            tagged(kind, "yellow", line)
    if summary.labels_added:
        say("added labels the schema lacks to the project: " + ", ".join(summary.labels_added))
    ok = len(summary.files) - len(summary.rejected)
    dup = summary.total("documents_duplicate")
    extras = [
        (summary.total("sets_unchanged"), "unchanged"),
        (summary.total("spans_trimmed"), "span(s) trimmed of whitespace at an edge"),
        (summary.total("answers_rejected"), "rejected answer(s) imported as text only"),
        (summary.total("answers_ignored"), "ignored answer(s) imported as text only"),
        (summary.total("annotations_cancelled"), "cancelled annotation(s) skipped"),
        (summary.total("annotations_skipped"), "annotation(s) that are not entity spans skipped"),
    ]
    click.echo(
        f"{ok} file(s) imported, {len(summary.rejected)} rejected: "
        f"{summary.total('documents_added')} document(s) added, "
        f"{dup} already present; "
        f"{summary.total('sets_added')} annotation set(s) added with "
        f"{summary.total('spans_added')} span(s) and {summary.total('stances_added')} stance(s)"
        + "".join(f", {n} {what}" for n, what in extras if n)
    )
    added = summary.total("documents_added") + summary.total("sets_added")
    if dup and not added and not summary.rejected:
        click.echo("nothing new: every document and set was already in the database")


@cli.command("export")
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=EXPORT_FORMATS,
    help="The file format (default: jsonl; --split writes every training format); "
    "docs/formats.md describes each.",
)
@click.option(
    "--include",
    type=click.Choice([s.value for s in Selection]),
    default="approved",
    show_default=True,
    help="Which annotation sets: approved (gold), submitted (also handed-in and rejected "
    "ones), all (also work in progress and unannotated documents).",
)
@click.option(
    "--split",
    "split_spec",
    metavar="NAME=FRACTION,...",
    help="Write a training set into the folder OUT: e.g. train=0.8,dev=0.1,test=0.1, "
    "every split in every training format, with a dataset card.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed for --split (same seed and data: the same files).",
)
@click.option(
    "--offsets",
    "offsets",
    type=click.Choice([u.value for u in OffsetUnit]),
    help="The unit to count offsets in (default: what the format's tool reads: utf16 for "
    "doccano, code points otherwise; utf16 for a Label Studio older than 1.5). conll, spacy "
    "and --split have no offsets to count and refuse it.",
)
@click.option(
    "--split-clitics",
    is_flag=True,
    help="Token formats (conll, hf-tokens, spacy, and --split): proclitics before the article "
    "become their own tokens.",
)
@pass_ctx
def export_cmd(
    ctx: Context,
    out: Path,
    fmt: str | None,
    include: str,
    split_spec: str | None,
    seed: int,
    offsets: str | None,
    split_clitics: bool,
) -> None:
    """Export annotation sets (approved ones by default) to OUT ('-' for stdout)."""
    if split_spec is not None:
        if fmt is not None:
            raise click.UsageError("--split writes every training format; leave out --format")
        if offsets is not None:
            raise click.UsageError(
                "--split writes training files in code points; leave out --offsets"
            )
        _export_dataset(ctx, out, split_spec, seed, Selection(include), split_clitics)
        return
    fmt = fmt or "jsonl"
    from app.io.exporter import ExportOptions, export

    options = ExportOptions(
        format=fmt,
        include=Selection(include),
        split_clitics=split_clitics,
        offsets=OffsetUnit(offsets) if offsets else None,
    )
    total = ctx.core.count_records(options.include)
    with progress_bar("exporting", total=total) as bar:
        report = export(ctx.core, out, options, progress=lambda n: bar.update(str(out), n))
    for warning in report.warnings:
        tagged("warning", "yellow", warning)
    say(
        f"exported {report.records} record(s) with {report.spans} span(s) "
        f"to {out} ({fmt}, {include})"
        + "".join(f"; also wrote {path}" for path in report.also_written)
    )
    if report.records == 0:
        wider = " or ".join(Selection(include).wider)
        say(f"nothing matched --include {include}" + (f"; try --include {wider}" if wider else ""))


def _export_dataset(
    ctx: Context, out: Path, spec: str, seed: int, include: Selection, split_clitics: bool
) -> None:
    from app.io.training.dataset_export import export_dataset
    from app.io.training.splits import parse_ratios

    ratios = parse_ratios(spec)
    with progress_bar("writing splits") as bar:
        report = export_dataset(
            ctx.core,
            out,
            ratios=ratios,
            seed=seed,
            include=include,
            split_clitics=split_clitics,
            progress=lambda n: bar.update(str(out), n),
        )
    for why in report.skipped_formats:
        tagged("warning", "yellow", why)
    for result in report.results:
        for why in result.warnings:
            tagged("warning", "yellow", f"{result.path}: {why}")
    sizes = ", ".join(f"{name} {n}" for name, n in report.documents.items())
    click.echo(f"training set in {out}: {sizes} document(s); dataset card {report.card}")


@cli.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@pass_ctx
def search(ctx: Context, text: str, limit: int, as_json: bool) -> None:
    """Documents holding the words of TEXT, however their alef, hamza, tashkeel and tatweel
    are spelled, with or without the article and its proclitics (the last word as a prefix)."""
    from app.core.arabic.search_words import query_words

    if not query_words(text):
        raise click.UsageError("the search holds no letters or digits: nothing to look for")
    ctx.index_for_search()
    hits = ctx.core.search(text, limit)
    if as_json:
        rows = [
            {
                "document": h.uuid,
                "title": h.title,
                "ranges": [list(r) for r in h.ranges],
                "snippets": list(h.snippets),
            }
            for h in hits
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for hit in hits:
        click.echo(f"{hit.uuid}  {for_terminal(hit.title)}")
        for snippet in hit.snippets[:3]:
            click.echo(f"    … {for_terminal(snippet)} …")
    click.echo(f"{len(hits)} document(s)" + (f" (the first {limit})" if len(hits) == limit else ""))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@pass_ctx
def stats(ctx: Context, as_json: bool) -> None:
    """Counts of documents, annotation sets, spans and stance judgements."""
    data = ctx.core.stats()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_stats(data)


def _print_stats(data: dict[str, Any]) -> None:
    click.echo(f"documents:        {data['documents']} ({data['documents_annotated']} annotated)")
    sets = ", ".join(f"{k} {v}" for k, v in data["sets_by_status"].items())
    click.echo(f"annotation sets:  {data['annotation_sets']} ({sets})")
    labels = ", ".join(f"{k} {v}" for k, v in data["spans_by_label"].items())
    click.echo(f"spans:            {data['spans']}" + (f" ({labels})" if labels else ""))
    values = ", ".join(f"{k} {v}" for k, v in data["stances_by_value"].items())
    click.echo(f"stances:          {data['stances']}" + (f" ({values})" if values else ""))
    click.echo(f"users:            {data['users']}")
    click.echo(f"schema:           {data['schema']['name']} v{data['schema']['version']}")


def fail(message: str, code: int = 1) -> NoReturn:
    tagged("tawsim: error:", "bold red", message)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="tawsim", standalone_mode=False)
    except click.exceptions.Abort:
        fail("cancelled", 130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except TawsimError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("cancelled; nothing was half-written", 130)
    except Exception as exc:  # the machine's limits (memory, disk) are not bugs: say so
        message = resource_failure(exc)
        if message is None:
            raise
        fail(message)
