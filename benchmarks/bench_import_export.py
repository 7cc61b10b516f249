"""Import and export throughput and peak memory on a generated corpus.

Run: ``python benchmarks/bench_import_export.py [N_DOCUMENTS]`` (default 5,000). Targets:
import ≥ 300 documents/s with spans, export ≥ 2,000 sets/s, export peak memory independent of
corpus size (streamed). Prints the figures; exits non-zero when a target is missed.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from app.core.domain import Selection
from app.io.exporter import ExportOptions, export
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database

SENTENCE = "أعلنت اليابان والاتحاد الأوروبي عن شراكة أمنية جديدة في طوكيو يوم {n} 🇯🇵."


def make_corpus(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = SENTENCE.format(n=i)
            jp = text.index("اليابان")
            eu = text.index("الاتحاد الأوروبي")
            spans = [
                {"start": jp, "end": jp + 7, "label": "GPE"},
                {"start": eu, "end": eu + 16, "label": "ORG"},
            ]
            record = {"text": text, "spans": spans, "annotator": "bench", "status": "approved"}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(n: int) -> int:
    folder = Path(tempfile.mkdtemp(prefix="tawsim-bench-"))
    src = folder / "corpus.jsonl"
    make_corpus(src, n)
    failures = []
    with Database.open(folder / "bench.db") as db:
        t0 = time.perf_counter()
        import_paths(Tawsim(db, "bench"), [src], ImportOptions())
        rate = n / (time.perf_counter() - t0)
        print(f"import: {rate:,.0f} documents/s ({n:,} documents)")
        if rate < 300:
            failures.append("import below 300 documents/s")
        tracemalloc.start()
        t0 = time.perf_counter()
        export(Tawsim(db), folder / "out.jsonl", ExportOptions(include=Selection.APPROVED))
        rate = n / (time.perf_counter() - t0)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"export: {rate:,.0f} sets/s, peak Python memory {peak:.1f} MiB")
        if rate < 2000:
            failures.append("export below 2,000 sets/s")
        if peak > 64:
            failures.append("export peak memory above 64 MiB")
    for failure in failures:
        print("MISSED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000))
