"""``python -m benchmarks`` runs at a tiny size, every phase included: the benchmark is kept
working by CI, never timed by it (no figure is held against a target here)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

FIGURES = (
    "import_docs_per_s",
    "import_ratio_to_raw_insert",
    "export_docs_per_s",
    "export_ratio_to_raw_dump",
    "split_export_docs_per_s",
    "split_export_peak_rss_mb",
    "search_p95_ms",
    "open_doc_ms",
    "gui_peak_rss_mb",
    "gui_suggestions_s",
    "review_window_s",
    "review_peak_rss_mb",
    "db_bytes_per_doc",
)


def test_the_benchmark_runs_every_phase_at_a_tiny_size(tmp_path: Path) -> None:
    keep = tmp_path / "bench"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--size", "60", "--json", "--keep", str(keep)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert done.returncode == 0, f"stdout:\n{done.stdout}\nstderr:\n{done.stderr[-3000:]}"
    figures = json.loads(done.stdout)
    assert figures["size"] == 60
    for key in FIGURES:
        value = figures[key]
        assert isinstance(value, (int, float)) and not isinstance(value, bool), (key, value)
        assert math.isfinite(value) and value > 0, (key, value)
    assert (keep / "tawsim.db").is_file()
    assert (keep / "dataset").is_dir()
