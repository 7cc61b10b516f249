"""``tawsim report OUT.html``: the dashboard as one self-contained HTML page.

One UTF-8 file: the charts of :mod:`app.io.dashboard_charts` embedded as PNG images (base64
``data:`` addresses), each with its figures in a table, the style in the page. Nothing is
fetched from anywhere: no link, no script, no font file, so the page reads the same offline, in
a mail, years later. Arabic in the charts is shaped by matplotlib; in the tables, cells holding
Arabic are marked ``dir="rtl" lang="ar"`` and the browser lays them out.

The page is written to a temporary file beside ``OUT`` and renamed into place
(:class:`app.io.output.AtomicFile`): an error or a kill leaves the previous file, or none.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from app import __version__
from app.core.dashboard import Dashboard
from app.core.errors import InputError
from app.io.dashboard_charts import CHARTS, Chart, chart_figure
from app.io.output import AtomicFile

DPI = 150
"""The figures are drawn at 6.4 × 3.4 inches: 960 × 510 pixels, shown at 640 × 340."""
MISSING = "—"
_NUMBER = re.compile(r"-?[\d.,]+%?")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")

STYLE = """
body { font-family: "Noto Sans", "Noto Naskh Arabic", "Segoe UI", Tahoma, sans-serif;
       margin: 1.5em auto; max-width: 62em; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin: 1.6em 0 0.4em; border-bottom: 1px solid #ddd; }
p.meta { color: #555; margin-top: 0; }
p.blind { background: #fff6d6; padding: 0.5em 0.8em; border-left: 4px solid #e0b000; }
figure { margin: 0.4em 0; }
figure img { max-width: 100%; height: auto; }
figcaption { color: #666; font-size: 0.85em; }
table { border-collapse: collapse; margin: 0.6em 0 1em; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; }
th { background: #f4f4f4; text-align: start; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
[lang="ar"] { font-family: "Noto Naskh Arabic", "Noto Sans", "Segoe UI", Tahoma, serif; }
"""


def check_target(out: Path) -> None:
    """Refuse, before anything is computed, a place the page cannot be written to."""
    if out.is_dir():
        raise InputError("is a folder; give the name of the HTML file to write", path=out)
    if not out.parent.is_dir():
        raise InputError("the folder to write the report into does not exist", path=out.parent)


def write_report(board: Dashboard, out: Path) -> None:
    """Write the page to ``out`` whole, or leave what was there."""
    check_target(out)
    page = render_report(board)
    target = AtomicFile(out)
    try:
        target.stream.write(page)
        target.commit()
    except BaseException:
        target.discard()
        raise


def render_report(board: Dashboard) -> str:
    made = board.made_at.strftime("%Y-%m-%d %H:%M UTC")
    head = (
        f"Made {made} for {_text(board.viewer)}, by Tawsim {escape(__version__)}: "
        f"{board.documents:,} document(s) in the database."
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Tawsim report</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<h1>Tawsim report</h1>",
        f'<p class="meta">{head}</p>',
    ]
    if board.own_work_only:
        parts.append(
            '<p class="blind">Annotation is blind: this report holds '
            f"{_text(board.viewer)}'s own work only, and no agreement figures (they compare "
            "annotators' work).</p>"
        )
    tables = {
        "sets": _sets_table,
        "spans": _spans_table,
        "labels": _labels_table,
        "stance": _stance_table,
        "decisions": _decisions_table,
        "agreement": _agreement_table,
    }
    for chart in CHARTS:
        parts += [
            f'<section id="{chart.key}">',
            f"<h2>{escape(chart.title)}</h2>",
            _figure(chart, board),
            tables[chart.key](board),
            "</section>",
        ]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def figure_png(chart: Chart, board: Dashboard) -> bytes:
    """One chart as PNG bytes, as the page embeds it."""
    buffer = io.BytesIO()
    chart_figure(chart, board).savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _figure(chart: Chart, board: Dashboard) -> str:
    data = base64.b64encode(figure_png(chart, board)).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" width="640" height="340" '
        f'alt="{escape(chart.title)}"></figure>'
    )


# -- tables --------------------------------------------------------------------------------


def _text(value: str) -> str:
    """Escaped; right to left when it holds Arabic."""
    if _ARABIC.search(value):
        return f'<span dir="rtl" lang="ar">{escape(value)}</span>'
    return escape(value)


def _td(value: object) -> str:
    """A cell: numbers (and scores, shares) on the right; Arabic text right to left."""
    if value is None:
        value = MISSING
    text = f"{value:,}" if isinstance(value, int) else str(value)
    if isinstance(value, int | float) or _NUMBER.fullmatch(text) or text == MISSING:
        return f'<td class="n">{escape(text)}</td>'
    if _ARABIC.search(text):
        return f'<td dir="rtl" lang="ar">{escape(text)}</td>'
    return f"<td>{escape(text)}</td>"


def _table(header: Sequence[str], rows: Iterable[Sequence[object]], empty: str) -> str:
    body = ["<tr>" + "".join(_td(v) for v in row) + "</tr>" for row in rows]
    if not body:
        return f'<p class="meta">{escape(empty)}</p>'
    head = "<tr>" + "".join(f"<th>{_text(h)}</th>" for h in header) + "</tr>"
    return (
        "<table>\n<thead>" + head + "</thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody></table>"
    )


def _score(value: float | None) -> str | None:
    return None if value is None else f"{value:.3f}"


def _sets_table(board: Dashboard) -> str:
    spans = board.spans_by_annotator()
    gold = board.spans_by_annotator(approved=True)
    rows = [
        (
            a.annotator, a.in_progress, a.submitted, a.approved, a.rejected, a.handed_in,
            sum(spans.get(a.annotator, {}).values()), sum(gold.get(a.annotator, {}).values()),
        )
        for a in board.annotators
    ]  # fmt: skip
    header = ("annotator", "in progress", "submitted", "approved", "rejected", "handed in",
              "spans handed in", "spans approved")  # fmt: skip
    return _table(header, rows, "No annotation sets yet.")


def _spans_table(board: Dashboard) -> str:
    labels = [x.name for x in board.used_labels]
    table = board.spans_by_annotator()
    rows = [(who, *(table[who].get(label, 0) for label in labels)) for who in table]
    return _table(("annotator", *labels), rows, "No spans handed in yet.")


def _labels_table(board: Dashboard) -> str:
    handed, gold = board.spans_by_label(), board.spans_by_label(approved=True)
    total = sum(gold.values())
    rows = [
        (x.name, x.name_ar, handed[x.name], gold[x.name],
         f"{gold[x.name] / total:.1%}" if total else MISSING)
        for x in board.used_labels
    ]  # fmt: skip
    header = ("label", "Arabic name", "spans handed in", "spans approved", "share of gold")
    return _table(header, rows, "No spans handed in yet.")


def _stance_table(board: Dashboard) -> str:
    approved, handed = board.stance_by_target(), board.stance_by_target(approved=False)
    values = list(board.stance_values) + sorted(
        {v for t in handed.values() for v in t} - set(board.stance_values)
    )
    rows = [
        (target, *(approved.get(target, {}).get(v, 0) for v in values),
         sum(approved.get(target, {}).values()), sum(counts.values()))
        for target, counts in handed.items()
    ]  # fmt: skip
    header = ("target", *values, "approved", "handed in")
    return _table(header, rows, "No stance judgements handed in yet.")


def _decisions_table(board: Dashboard) -> str:
    rows = [(d.day.isoformat(), d.approved, d.rejected, d.reopened, d.total) for d in
            reversed(board.decisions)]  # fmt: skip
    if rows:
        t = board.decision_totals
        rows.append(("all days", t.approved, t.rejected, t.reopened, t.total))
    header = ("day (UTC)", "approved", "rejected", "reopened", "decisions")
    return _table(header, rows, "No review decisions yet.")


def _agreement_table(board: Dashboard) -> str:
    if board.own_work_only:
        return (
            '<p class="meta">Agreement compares annotators\' work: not shown to an annotator.</p>'
        )
    rows = [
        (w.week, w.monday.isoformat(), w.documents, w.measured, _score(w.entity_f1),
         _score(w.overlap_f1), _score(w.stance_alpha), _score(w.stance_kappa), w.stance_items)
        for w in reversed(board.agreement)
    ]  # fmt: skip
    header = ("ISO week", "from", "shared documents", "scored", "entity F1 exact",
              "entity F1 overlap", "stance α", "stance κ", "stance items")  # fmt: skip
    notes = [
        "A document counts in the week its last annotator handed it in. Entity F1 is the mean "
        "over pairs of annotators; stance α is Krippendorff's alpha (nominal, every target "
        "pooled), κ Cohen's kappa where exactly two annotators judged."
    ]
    if board.agreement_sampled:
        n = board.agreement_sample_size
        notes.append(
            f"Weeks with more than {n} shared documents are scored on a fixed sample of {n}."
        )
    if board.agreement_weeks > len(board.agreement):
        notes.append(f"The last {len(board.agreement)} of {board.agreement_weeks} weeks.")
    table = _table(header, rows, "No document handed in by two annotators yet.")
    return table + f'<p class="meta">{escape(" ".join(notes))}</p>'
