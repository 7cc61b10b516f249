"""Fuzzing every importer (issue 11): thousands of hostile files per format, seeded.

Each format's valid files (:func:`tests.io.fuzzing.seed_cases`: Tawsim's own exports of an
Arabic corpus and other tools' shapes) are mutated by hypothesis (:func:`hostile_case`) and
imported the way the CLI imports them (:func:`app.io.importer.import_paths`, one transaction per
file) or the GUI does (:func:`app.io.importer.import_all_or_nothing`, after a good file that the
refusal must take back too), with options drawn too (``--offsets``, ``--annotator``,
``--status``, ``--text-column``, ``--strict-labels``, a ``--format`` forced on the wrong file,
an annotator for a user), into one database reused across the examples. Whatever the file:

- nothing but a :class:`app.core.errors.TawsimError` escapes (anything else is a bug);
- a refused file is named in the refusal and leaves the database exactly as it was: nothing
  committed (``PRAGMA data_version``), the same rows in every table (zero partial imports; every
  case's texts are new to the database, so a record stored before the refusal would show);
- an accepted file's rows obey the store's rules, its records export in every format (JSON Lines
  that reads back strictly), and importing it again adds nothing; at the end the whole database
  exports in every format.

A smaller number of cases run through the command line (``tawsim import``): no traceback, and a
refusal exits 1.

``TAWSIM_FUZZ_EXAMPLES=N`` sets the cases per format (default
:data:`tests.io.fuzzing.DEFAULT_EXAMPLES`); ``TAWSIM_HYPOTHESIS=explore`` draws new ones.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import TawsimError
from app.io import registry
from app.io.importer import ImportOptions, ImportSummary, import_all_or_nothing, import_paths
from tests.io.fuzzing import (
    FUZZ_SETTINGS,
    IMPORT_FORMATS,
    Bench,
    Case,
    Options,
    bench_in_memory,
    examples,
    hostile_case,
    run_cli,
    seed_cases,
)

KINDS = ["jsonl", "label-studio", "csv", "conll", "brat", "txt", "write-only"]
"""The import formats of the registry, by the seeds' keys; ``write-only``: the files of the
formats Tawsim writes but does not read (spaCy, Hugging Face tokens, stance JSONL) and formats
forced on the wrong file, which must be refused as cleanly."""
SHARE = {"write-only": 0.5}
"""Formats with less to find get fewer cases (the default budget is for JSON's many shapes)."""


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Case]]:
    return seed_cases(tmp_path_factory.mktemp("seeds"))


@pytest.fixture
def bench(tmp_path: Path, _template_db: Path) -> Iterator[Bench]:
    with bench_in_memory(tmp_path, _template_db) as bench:
        yield bench


def test_every_import_format_has_seeds(seeds: dict[str, list[Case]]) -> None:
    """The fuzzing covers every format the registry can import, by every extension it has."""
    mains = {Path(c.main).suffix.lower() for cases in seeds.values() for c in cases}
    for fmt in registry.import_formats():
        assert fmt.name in seeds, f"no seeds for the {fmt.name} importer"
        assert set(fmt.extensions) <= mains, (fmt.name, set(fmt.extensions) - mains)
    assert set(KINDS) == set(seeds)
    assert {f.name for f in registry.import_formats()} | {"auto"} == set(IMPORT_FORMATS)


def test_the_seeds_are_valid(seeds: dict[str, list[Case]], bench: Bench) -> None:
    """The mutations start from files that import (but those meant to be refused)."""
    for kind in KINDS:
        for case in seeds[kind]:
            summary = run_import(bench, case, Options())
            if kind == "write-only" and not case.main.endswith(".stance.jsonl"):
                assert summary is None or summary.rejected, case.main
            else:
                assert summary is not None and not summary.rejected, summary and [
                    str(f.error) for f in summary.rejected
                ]


def run_import(bench: Bench, case: Case, options: Options) -> ImportSummary | None:
    """Import ``case`` as the CLI (or with ``all_or_nothing``, the GUI) does and check what
    issue 11 asks; returns the summary (None when the import raised a TawsimError)."""
    folder = bench.fresh_folder()
    path = case.write(folder)
    paths = [path]
    if options.all_or_nothing:  # a good file first: the hostile one must take it back too
        good = folder / "good.jsonl"
        good.write_text(f'{{"text": "خبر سليم رقم {bench.n}"}}\n', encoding="utf-8")
        paths = [good, path]
    import_options = ImportOptions(
        format=options.format or case.format,
        annotator=options.annotator,
        status=options.status,
        text_column=options.text_column,
        strict_labels=options.strict_labels,
        offsets=options.offsets,
    )
    before = bench.start()
    core = bench.core(options.actor)
    try:
        if options.all_or_nothing:
            summary = import_all_or_nothing(core, paths, import_options)
        else:
            summary = import_paths(core, paths, import_options)
    except TawsimError as exc:  # the GUI's one transaction (or an option, before any file)
        named = str(folder) in str(exc) or options.annotator is not None
        assert named, f"the refusal does not name the file: {exc}"
        bench.refused_cleanly(before, f"{case.main} ({exc})")
        return None
    refused = [f for f in summary.files if f.error is not None]
    if refused:
        message = str(refused[0].error)
        assert str(folder) in message, f"the refusal does not name the file: {message}"
        bench.refused_cleanly(before, f"{case.main} ({message})")
        bench.note_refusal(message)
    else:
        bench.accepted_cleanly(before)
        again = bench.fingerprint()
        second = import_paths(core, [path], import_options)  # "re-importing adds nothing"
        bench.committed()
        assert not second.rejected, [str(f.error) for f in second.rejected]
        assert bench.fingerprint() == again, "importing the same file twice added to it"
    return summary


@pytest.mark.parametrize("kind", KINDS)
def test_fuzzed_files_are_refused_cleanly_or_stored_whole(
    kind: str, seeds: dict[str, list[Case]], bench: Bench
) -> None:
    started = time.perf_counter()

    @settings(max_examples=examples(share=SHARE.get(kind, 1.0)), **FUZZ_SETTINGS)
    @given(hostile_case(seeds[kind]))
    def fuzz(drawn: tuple[Case, Options]) -> None:
        run_import(bench, *drawn)

    fuzz()
    written = bench.export_everything()
    print(f"\n{kind}: {bench.summary(time.perf_counter() - started)}; exported {written}")
    assert bench.accepted + bench.refused == bench.n
    if bench.n >= 200:  # the mutations reach both ends: refusals, and files stored
        assert bench.refused > bench.n / 10
        assert bench.accepted > bench.n / 10 or kind == "write-only"  # (formats not read)


# --- through the command line -----------------------------------------------------------------


@st.composite
def cli_case(draw: st.DrawFn, seeds: dict[str, list[Case]]) -> tuple[Case, Options]:
    kind = draw(st.sampled_from(KINDS))
    return draw(hostile_case(seeds[kind]))


def test_fuzzed_files_through_the_command_line(seeds: dict[str, list[Case]], bench: Bench) -> None:
    started = time.perf_counter()
    bench.core().build_search_index()  # the command indexes what it stored, and only that

    @settings(max_examples=examples(share=0.1), **FUZZ_SETTINGS)
    @given(cli_case(seeds))
    def fuzz(drawn: tuple[Case, Options]) -> None:
        case, options = drawn
        path = case.write(bench.fresh_folder())
        argv = ["--db", str(bench.path), "--user", options.actor, "import"]
        if (options.format or case.format) != "auto":
            argv += ["--format", options.format or case.format]
        if options.offsets is not None:
            argv += ["--offsets", options.offsets.value]
        if options.annotator is not None:  # a lone surrogate is what argv makes of a bad byte
            argv += ["--annotator", options.annotator]
        if options.status is not None:
            argv += ["--status", options.status.value]
        if options.text_column and "\x00" not in options.text_column:  # (argv holds no NUL)
            argv += ["--text-column", options.text_column]
        if options.strict_labels:
            argv.append("--strict-labels")
        argv += ["--", str(path)]  # a file name may start with "-"
        before = bench.start()
        code, said = run_cli(argv)
        assert "Traceback" not in said, said
        if code == 2:  # click refused an option (a format that cannot be imported)
            assert "Error: Invalid value" in said, said
            bench.refused_cleanly(before, f"{case.main} ({said})")
        elif code == 1:  # a file rejected, or the import refused before any file
            assert ("rejected" in said and str(path.parent) in said) or "error:" in said, said
            bench.refused_cleanly(before, f"{case.main} ({said})")
        else:
            assert code in (0, 3), (code, said)
            bench.accepted_cleanly(before)

    fuzz()
    print(
        f"\ncommand line: {bench.n} files in {time.perf_counter() - started:.1f} s: "
        f"{bench.accepted} accepted, {bench.refused} refused"
    )
    assert bench.accepted + bench.refused == bench.n
    if bench.n >= 50:
        assert bench.accepted and bench.refused
