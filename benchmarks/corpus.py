"""A generated news corpus: articles recombined from real sentences, with entity spans.

Sentences come from ``seeds/`` and, when present, ``../shared/data/saudinewsnet_sample``; each
article is about 1,800 characters (a news article's length) of sentences drawn with a fixed
seed, and carries 10 spans on whole words, labelled from the default schema. The same size and
seed give the same file.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAUDI = ROOT.parent / "shared" / "data" / "saudinewsnet_sample"
LABELS = ("PER", "ORG", "GPE", "LOC", "DATE", "EVENT", "NORP", "MISC")
ARTICLE_CHARS = 1800
SPANS_PER_ARTICLE = 10
_SENTENCE = re.compile(r"[^.!؟?\n]+[.!؟?]?")
_WORD = re.compile(r"(?:[\u0621-\u064a][\u064b-\u0652]*){4,}")


def sentences() -> list[str]:
    found: list[str] = []
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for path in sorted(SAUDI.glob("*.jsonl")) if SAUDI.exists() else []:
        with path.open(encoding="utf-8") as handle:
            texts += [json.loads(line).get("content") or "" for line in handle]
    for text in texts:
        found += [s.strip() for s in _SENTENCE.findall(text) if len(s.strip()) > 40]
    return found


def articles(n: int, seed: int = 13) -> Iterator[dict[str, object]]:
    """``n`` JSONL records in Tawsim's native shape, each with its spans' text."""
    rng = random.Random(seed)
    pool = sentences()
    for i in range(n):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < ARTICLE_CHARS:
            parts.append(rng.choice(pool))
        text = f"خبر {i}: " + " ".join(parts)  # unique texts (documents are deduplicated)
        words = [m.span() for m in _WORD.finditer(text)]
        chosen = sorted(rng.sample(words, min(SPANS_PER_ARTICLE, len(words))))
        spans = [
            {"start": a, "end": b, "label": rng.choice(LABELS), "text": text[a:b]}
            for a, b in chosen
        ]
        yield {"text": text, "meta": {"source": f"bench-{i % 10}"}, "spans": spans}


def write_corpus(path: Path, n: int, seed: int = 13) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for record in articles(n, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
