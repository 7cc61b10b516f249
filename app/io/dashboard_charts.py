"""The dashboard's charts, drawn with matplotlib on any Axes: the GUI's window
(:mod:`app.gui.dashboard`, one figure of six) and ``tawsim report`` (:mod:`app.io.report`, one
figure each) draw the same ones.

Arabic (targets, annotator names, the labels' Arabic names) is given to matplotlib as it is
stored: matplotlib 3.11 shapes it and lays it out right to left itself, so nothing here
reshapes it (a reshaped string would be shaped twice). The bundled Noto fonts are registered so
that it renders the same on every machine; no Qt here.

Every word a chart says goes through a :class:`Words` (``say("...", n=...)``): English as it
is for the report; the GUI passes Qt's translation (the templates are listed for it in
:data:`app.gui.dashboard.CHART_TEXTS`) and, in a right-to-left interface, puts titles and
legends on the right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, Literal

from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from app.core.dashboard import Dashboard, DecisionDay
from app.core.resources import resource_path

FONTS = ["Noto Sans", "Noto Naskh Arabic", "DejaVu Sans"]
"""Latin first (Naskh has no Latin letters), then Arabic: matplotlib falls back glyph by glyph."""
FONT = {"family": FONTS}
STATUS_COLOURS = {
    "in_progress": "#c8c8c8",
    "submitted": "#4363d8",
    "approved": "#3cb44b",
    "rejected": "#e6194b",
}
STATUS_NAMES = {
    "in_progress": "in progress",
    "submitted": "submitted",
    "approved": "approved",
    "rejected": "rejected",
}
STANCE_COLOURS = {"FAVOR": "#3cb44b", "AGAINST": "#e6194b", "NEUTRAL": "#8c8c8c", "NONE": "#d2d2d2"}
OTHER_COLOURS = ("#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#469990")
ANNOTATOR_COLOURS = ("#4363d8", "#f58231", "#3cb44b", "#911eb4", "#e6194b", "#42d4f4", "#9a6324")
DECISION_COLOURS = {"approved": "#3cb44b", "rejected": "#e6194b", "reopened": "#f58231"}
MAX_ROWS = 10
"""Annotators or targets a chart shows (the largest); the rest are counted in a note."""
MAX_ANNOTATOR_BARS = len(ANNOTATOR_COLOURS)
MAX_DAYS = 62
"""Decisions over a longer period are shown per week."""
GREY = "#6e6e6e"


@cache
def use_bundled_fonts() -> None:
    """Register the bundled Noto fonts with matplotlib (once per process)."""
    folder = resource_path("fonts")
    for path in sorted(folder.glob("*.ttf")) if folder.is_dir() else []:
        font_manager.fontManager.addfont(str(path))


def _as_written(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Words:
    """How the charts say things: a translation of each English template, and the side the
    titles and legends go on."""

    translate: Callable[[str], str] = _as_written
    right_to_left: bool = False

    def __call__(self, text: str, **values: object) -> str:
        said = self.translate(text)
        return said.format(**values) if values else said

    @property
    def side(self) -> Literal["left", "right"]:
        return "right" if self.right_to_left else "left"


ENGLISH = Words()


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    """The report's heading (English)."""
    draw: Callable[[Axes, Dashboard, Words], None]


def _start(ax: Axes, say: Words, title: str) -> None:
    ax.clear()
    ax.set_title(title, fontsize=9, fontdict=FONT, loc=say.side, pad=5)
    ax.tick_params(labelsize=7.5)
    ax.spines[["top", "right"]].set_visible(False)


def _note(ax: Axes, text: str) -> None:
    """A small grey line under the plot (a sample, a cut, whose work this is), as part of the
    axis label so that the layout makes room for it."""
    label = ax.get_xlabel()
    ax.set_xlabel(f"{label}\n{text}" if label else text, fontsize=7, color=GREY,
                  fontfamily=FONTS)  # fmt: skip


def _nothing(ax: Axes, text: str) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=8.5,
            color=GREY, fontfamily=FONTS, wrap=True)  # fmt: skip


def _legend(ax: Axes, say: Words, ncols: int = 3, **options: Any) -> None:
    """The legend between the title and the plot, never over a bar: the title is moved up by
    as many lines as the legend has. Right to left, it starts on the right, each name before
    (to the left of) its colour."""
    if say.right_to_left:
        handles, labels = options.pop("handles", None), None
        if handles is None:
            handles, labels = ax.get_legend_handles_labels()
            labels = labels[::-1]
        options.update(handles=handles[::-1], markerfirst=False)
        if labels is not None:
            options["labels"] = labels
    legend = ax.legend(
        loc="lower right" if say.right_to_left else "lower left",
        bbox_to_anchor=(1 if say.right_to_left else 0, 1.01),
        ncols=ncols, frameon=False, prop={"family": FONTS, "size": 7}, borderaxespad=0,
        handlelength=1.2, columnspacing=0.9, borderpad=0.1, **options,
    )  # fmt: skip
    rows = -(-len(legend.get_texts()) // ncols)
    ax.set_title(ax.get_title(loc=say.side), loc=say.side, pad=5 + 10.5 * rows, fontsize=9,
                 fontdict=FONT)  # fmt: skip


def _whole_numbers(ax: Axes, axis: str = "y") -> None:
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_locator(MaxNLocator(integer=True))


def _names(ax: Axes, axis: str, positions: Sequence[float], labels: Sequence[str]) -> None:
    """Category names on an axis, in the fonts that hold Arabic."""
    setter = ax.set_yticks if axis == "y" else ax.set_xticks
    setter(list(positions), list(labels), fontfamily=FONTS, fontsize=7.5)


def _label_text(board: Dashboard, name: str) -> str:
    info = board.label(name)
    return f"{name}\n{info.name_ar}" if info.name_ar else name


def _who(board: Dashboard, say: Words) -> str:
    # In English, Latin first: a line that starts with an Arabic name is laid out right to left.
    if not board.own_work_only:
        return ""
    return say("only the work of {name} (annotation is blind)", name=board.viewer)


def _more(board: Dashboard, say: Words, more: int) -> str:
    if board.own_work_only:
        return _who(board, say)
    return say("and {n} more annotator(s)", n=more) if more > 0 else ""


def _rows(ax: Axes, n: int) -> None:
    """Horizontal bars top down, as thin with one row as with four."""
    ax.set_ylim(max(n, 4) - 0.5, -0.5)


# -- the charts ----------------------------------------------------------------------------


def draw_sets(ax: Axes, board: Dashboard, say: Words = ENGLISH) -> None:
    """Sets per annotator, stacked by status: how far each has come."""
    _start(ax, say, say("Sets per annotator, by status"))
    rows = sorted(board.annotators, key=lambda a: (-a.total, a.annotator))[:MAX_ROWS]
    if not rows:
        _nothing(ax, say("No annotation sets yet"))
        return
    positions = range(len(rows))
    left = [0] * len(rows)
    for status, colour in STATUS_COLOURS.items():
        counts = [getattr(a, status) for a in rows]
        ax.barh(
            positions, counts, left=left, color=colour, label=say(STATUS_NAMES[status]), height=0.6
        )
        left = [a + b for a, b in zip(left, counts, strict=True)]
    for y, total in zip(positions, left, strict=True):
        ax.annotate(f"{total:,}", (total, y), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=7)  # fmt: skip
    _names(ax, "y", positions, [a.annotator for a in rows])
    _rows(ax, len(rows))
    ax.set_xlim(0, max(left) * 1.15 or 1)
    ax.set_xlabel(say("sets ({n} documents in all)", n=f"{board.documents:,}"), fontsize=7.5)
    _whole_numbers(ax, "x")
    _legend(ax, say, ncols=4)
    note = _more(board, say, len(board.annotators) - len(rows))
    if note:
        _note(ax, note)


def draw_spans_per_annotator(ax: Axes, board: Dashboard, say: Words = ENGLISH) -> None:
    """Spans per label and annotator in handed-in sets."""
    _start(ax, say, say("Spans per label and annotator (handed in)"))
    labels = [x.name for x in board.used_labels]
    table = board.spans_by_annotator()
    if not labels:
        _nothing(ax, say("No spans handed in yet"))
        return
    ranked = sorted(table, key=lambda who: (-sum(table[who].values()), who))
    shown = ranked[:MAX_ANNOTATOR_BARS]
    width = 0.8 / len(shown)
    for i, who in enumerate(shown):
        xs = [j - 0.4 + width * (i + 0.5) for j in range(len(labels))]
        ax.bar(xs, [table[who].get(label, 0) for label in labels], width,
               label=who, color=ANNOTATOR_COLOURS[i % len(ANNOTATOR_COLOURS)])  # fmt: skip
    _names(ax, "x", range(len(labels)), [_label_text(board, n) for n in labels])
    ax.set_ylabel(say("spans"), fontsize=7.5)
    _whole_numbers(ax)
    _legend(ax, say, ncols=min(5, len(shown)))
    note = _more(board, say, len(ranked) - len(shown))
    if note:
        _note(ax, note)


def draw_labels(ax: Axes, board: Dashboard, say: Words = ENGLISH) -> None:
    """Per label: approved spans (the gold label distribution) of the spans handed in."""
    _start(ax, say, say("Labels: approved (gold) of handed in"))
    labels = board.used_labels
    if not labels:
        _nothing(ax, say("No spans handed in yet"))
        return
    handed, gold = board.spans_by_label(), board.spans_by_label(approved=True)
    total_gold = sum(gold.values())
    xs = range(len(labels))
    colours = [x.color or OTHER_COLOURS[i % len(OTHER_COLOURS)] for i, x in enumerate(labels)]
    ax.bar(xs, [handed[x.name] for x in labels], 0.7, color=colours, alpha=0.3)
    bars = ax.bar(xs, [gold[x.name] for x in labels], 0.7, color=colours)
    shares = [
        f"{gold[x.name] / total_gold:.0%}" if total_gold and gold[x.name] else "" for x in labels
    ]
    ax.bar_label(bars, labels=shares, fontsize=7, padding=1)
    _names(ax, "x", xs, [_label_text(board, x.name) for x in labels])
    ax.set_ylabel(say("spans"), fontsize=7.5)
    ax.set_ylim(0, max(handed[x.name] for x in labels) * 1.1 or 1)
    _whole_numbers(ax)
    handles = [_patch(GREY, 0.3, say("handed in")), _patch(GREY, 1.0, say("approved (% of gold)"))]
    _legend(ax, say, handles=handles)
    if board.own_work_only:
        _note(ax, _who(board, say))


def _patch(colour: str, alpha: float, label: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, alpha=alpha, label=label)


def draw_stance(ax: Axes, board: Dashboard, say: Words = ENGLISH) -> None:
    """Per target, the approved stance values."""
    _start(ax, say, say("Stance per target (approved)"))
    table = board.stance_by_target(approved=True)
    if not table:
        handed = sum(s.handed_in for s in board.stances)
        _nothing(
            ax,
            say("No approved stance yet ({n} handed in)", n=f"{handed:,}")
            if handed
            else say("No approved stance yet"),
        )
        return
    targets = list(table)[:MAX_ROWS]
    values = list(board.stance_values) + sorted(
        {v for t in table.values() for v in t} - set(board.stance_values)
    )
    positions = range(len(targets))
    left = [0] * len(targets)
    for i, value in enumerate(values):
        counts = [table[t].get(value, 0) for t in targets]
        if not any(counts):
            continue
        colour = STANCE_COLOURS.get(value, OTHER_COLOURS[i % len(OTHER_COLOURS)])
        ax.barh(positions, counts, left=left, color=colour, label=value, height=0.6)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    _names(ax, "y", positions, targets)
    _rows(ax, len(targets))
    ax.set_xlim(0, max(left) * 1.15 or 1)
    ax.set_xlabel(say("judgements"), fontsize=7.5)
    _whole_numbers(ax, "x")
    _legend(ax, say, ncols=4)
    cut = len(table) > len(targets)
    note = _who(board, say) or (
        say("the {shown} most judged of {total} targets", shown=len(targets), total=len(table))
        if cut
        else ""
    )
    if note:
        _note(ax, note)


def _per_week(days: Sequence[DecisionDay]) -> list[DecisionDay]:
    """The days' decisions summed per ISO week (``day``: its Monday)."""
    weeks: dict[date, DecisionDay] = {}
    for d in days:
        monday = d.day - timedelta(days=d.day.weekday())
        was = weeks.get(monday, DecisionDay(monday))
        weeks[monday] = DecisionDay(
            monday, was.approved + d.approved, was.rejected + d.rejected, was.reopened + d.reopened
        )
    return [weeks[k] for k in sorted(weeks)]


def draw_decisions(ax: Axes, board: Dashboard, say: Words = ENGLISH) -> None:
    """Review throughput: decisions per day (per week over a long period), UTC."""
    days = board.decisions
    weekly = bool(days) and (days[-1].day - days[0].day).days >= MAX_DAYS
    per = (
        say("Review decisions per week (UTC)") if weekly else say("Review decisions per day (UTC)")
    )
    _start(ax, say, per)
    if not days:
        _nothing(ax, say("No review decisions yet"))
        return
    rows = _per_week(days) if weekly else list(days)
    xs = [float(mdates.date2num(r.day)) for r in rows]
    width = 6.0 if weekly else 0.8
    bottom = [0] * len(rows)
    for name, colour in DECISION_COLOURS.items():
        counts = [getattr(r, name) for r in rows]
        ax.bar(
            xs,
            counts,
            width,
            bottom=bottom,
            color=colour,
            label=say(name),
            align="edge" if weekly else "center",
        )
        bottom = [a + b for a, b in zip(bottom, counts, strict=True)]
    ax.xaxis_date()
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.xaxis.get_offset_text().set_fontsize(7.5)
    if len(rows) == 1:
        ax.set_xlim(xs[0] - 3, xs[0] + 7)
    ax.set_ylabel(say("decisions"), fontsize=7.5)
    ax.set_ylim(0, max(bottom) * 1.1)
    _whole_numbers(ax)
    _legend(ax, say, ncols=3)
    t = board.decision_totals
    _note(
        ax,
        _who(board, say)
        or say(
            "{total} in all: {approved} approved, {rejected} rejected, {reopened} reopened",
            total=f"{t.total:,}",
            approved=f"{t.approved:,}",
            rejected=f"{t.rejected:,}",
            reopened=f"{t.reopened:,}",
        ),
    )


def draw_agreement(ax: Axes, board: Dashboard, say: Words = ENGLISH) -> None:
    """Agreement per ISO week of the last hand-in."""
    _start(ax, say, say("Agreement per week of hand-in"))
    weeks = board.agreement
    if board.own_work_only:
        _nothing(
            ax, say("Agreement compares annotators' work;\nannotation is blind: you see your own")
        )
        return
    if not weeks:
        _nothing(ax, say("No document handed in by two annotators yet"))
        return
    xs = range(len(weeks))
    lines = (
        (say("entity F1, exact"), [w.entity_f1 for w in weeks], "#4363d8", "o"),
        (say("entity F1, overlap"), [w.overlap_f1 for w in weeks], "#42d4f4", "."),
        (say("stance α (Krippendorff)"), [w.stance_alpha for w in weeks], "#f58231", "s"),
    )
    low = 0.0
    for name, values, colour, marker in lines:
        ys = [float("nan") if v is None else v for v in values]
        ax.plot(xs, ys, marker=marker, color=colour, label=name, linewidth=1.2, markersize=4)
        low = min([low, *(v for v in values if v is not None)])
    ax.set_ylim(min(low, 0) - 0.05, 1.05)
    ax.set_yticks([t for t in (-1, -0.5, 0, 0.25, 0.5, 0.75, 1) if t >= low - 0.05])
    step = max(1, len(weeks) // 8)
    _names(ax, "x", list(xs)[::step], [_week_text(w.week) for w in weeks][::step])
    if len(weeks) == 1:
        ax.set_xlim(-1, 1)
    _legend(ax, say, ncols=3)
    notes = [say("{n} shared documents", n=f"{sum(w.documents for w in weeks):,}")]
    if board.agreement_sampled:
        n = board.agreement_sample_size
        notes.append(say("a fixed sample of {n} a week scored where more", n=n))
    if board.agreement_weeks > len(weeks):
        shown, total = len(weeks), board.agreement_weeks
        notes.append(say("the last {shown} of {total} weeks", shown=shown, total=total))
    _note(ax, "\n".join(notes))


def _week_text(week: str) -> str:
    year, number = week.split("-")
    return f"{number}\n{year}"


CHARTS: tuple[Chart, ...] = (
    Chart("sets", "Progress per annotator", draw_sets),
    Chart("spans", "Spans per label and annotator", draw_spans_per_annotator),
    Chart("labels", "Label distribution", draw_labels),
    Chart("stance", "Stance per target", draw_stance),
    Chart("decisions", "Review throughput", draw_decisions),
    Chart("agreement", "Agreement over time", draw_agreement),
)


def draw_dashboard(figure: Figure, board: Dashboard, say: Words = ENGLISH) -> None:
    """Every chart on ``figure``, three by two (from the top right, right to left)."""
    use_bundled_fonts()
    figure.clear()
    grid = figure.subplots(2, 3)
    places = grid[:, ::-1] if say.right_to_left else grid  # the first chart where reading starts
    for ax, chart in zip(places.flat, CHARTS, strict=True):
        chart.draw(ax, board, say)


def chart_figure(chart: Chart, board: Dashboard, size: tuple[float, float] = (6.4, 3.4)) -> Figure:
    """One chart on a figure of its own (the report's)."""
    use_bundled_fonts()
    figure = Figure(figsize=size, dpi=100, layout="constrained")
    chart.draw(figure.add_subplot(), board, ENGLISH)
    return figure
