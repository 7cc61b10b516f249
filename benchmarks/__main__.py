"""``python -m benchmarks [--size N] [--json] [--keep DIR]``: Tawsim's speed and memory on a
generated news corpus of N articles (about 1,800 characters and 10 spans each), beside raw
sqlite3 and json baselines on the same rows.

Each step runs in a process of its own (``benchmarks/phases.py``), so the memory it reports is
its own peak. Figures go to ``benchmarks/RESULTS.md`` by hand, with the machine and the date;
nothing here fails a build (timed unit tests are not the place for targets).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.corpus import write_corpus

ROOT = Path(__file__).resolve().parents[1]
ORDER = ("raw_insert", "import", "export", "raw_dump", "split", "search", "gui", "review")


def run_phase(name: str, work: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.phases", name, str(work)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark step {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(size: int, phases: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The figures the issue names, from the phases that ran (a skipped one gives None)."""
    imp, raw, exp, dump, split, search, gui, review = (
        phases.get(k, {})
        for k in ("import", "raw_insert", "export", "raw_dump", "split", "search", "gui", "review")
    )

    def ratio(a: dict[str, Any], b: dict[str, Any], key: str = "seconds") -> float | None:
        return a[key] / b["seconds"] if a and b else None

    return {
        "size": size,
        "import_docs_per_s": imp.get("docs_per_s"),
        "import_with_index_docs_per_s": imp.get("with_index_docs_per_s"),
        "import_ratio_to_raw_insert": ratio(imp, raw, "total_seconds"),
        "import_peak_rss_mb": imp.get("peak_rss_mb"),
        "import_second_process_peak_rss_mb": imp.get("second_process_peak_rss_mb"),
        "raw_insert_docs_per_s": raw.get("docs_per_s"),
        "raw_insert_without_index_docs_per_s": raw.get("rows_docs_per_s"),
        "import_ratio_to_raw_insert_without_index": ratio(
            imp, {"seconds": raw["rows_seconds"]}, "seconds"
        )
        if raw and imp
        else None,
        "export_docs_per_s": exp.get("docs_per_s"),
        "export_ratio_to_raw_dump": ratio(exp, dump),
        "export_peak_rss_mb": exp.get("peak_rss_mb"),
        "export_second_process_peak_rss_mb": exp.get("second_process_peak_rss_mb"),
        "raw_dump_docs_per_s": dump.get("docs_per_s"),
        "split_export_docs_per_s": split.get("docs_per_s"),
        "split_export_peak_rss_mb": split.get("peak_rss_mb"),
        "split_export_second_process_peak_rss_mb": split.get("second_process_peak_rss_mb"),
        "search_p50_ms": search.get("search_p50_ms"),
        "search_p95_ms": search.get("search_p95_ms"),
        "count_p95_ms": search.get("count_p95_ms"),
        "count_exact_p95_ms": search.get("count_exact_p95_ms"),
        "open_doc_ms": search.get("open_doc_ms"),
        "open_doc_p95_ms": search.get("open_doc_p95_ms"),
        "gui_start_s": gui.get("gui_start_s"),
        "gui_scroll_to_end_s": gui.get("gui_scroll_to_end_s"),
        "gui_suggestions_s": gui.get("gui_suggestions_s"),
        "gui_peak_rss_mb": gui.get("gui_peak_rss_mb"),
        "review_window_s": review.get("review_window_s"),
        "review_peak_rss_mb": review.get("review_peak_rss_mb"),
        "db_bytes_per_doc": imp.get("db_bytes_per_doc"),
        "text_bytes_per_doc": imp["text_bytes"] / size if imp else None,
        "db_to_text_ratio": imp["db_bytes"] / imp["text_bytes"] if imp else None,
        "span_bytes_per_doc": imp.get("span_bytes_per_doc"),
        "db_without_spans_to_text_ratio": (
            (imp["db_bytes"] - imp["span_bytes"]) / imp["text_bytes"]
            if imp and imp.get("span_bytes") is not None
            else None
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--size", type=int, default=10_000, help="articles (default 10,000)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--skip", action="append", default=[], choices=ORDER)
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="tawsim-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    for stale in ("tawsim.db", "tawsim.db-wal", "tawsim.db-shm", "raw.db", "raw.db-wal"):
        (work / stale).unlink(missing_ok=True)
    start = time.perf_counter()
    write_corpus(work / "corpus.jsonl", args.size)
    phases = {}
    for name in ORDER:
        if name not in args.skip:
            phases[name] = run_phase(name, work)
            if not args.json:
                print(f"{name:>10}: {phases[name]}", file=sys.stderr)
    (work / "phases.json").write_text(json.dumps(phases, indent=2), encoding="utf-8")
    figures = summary(args.size, phases)
    figures["total_s"] = time.perf_counter() - start
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            shown = f"{value:,.2f}" if isinstance(value, float) else value
            print(f"{key:<28} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
