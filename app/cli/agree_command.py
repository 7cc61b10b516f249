"""``tawsim agree``: how reliable the labels are, between annotators."""

from __future__ import annotations

import json
from typing import Any

import click

from app.cli.terminal_text import for_terminal
from app.core.domain import Selection


def _f1(scores: dict[str, Any] | None) -> str:
    value = (scores or {}).get("overall", {}).get("f1")
    return "—" if value is None else f"{value:.3f}"


def _coefficient(figure: dict[str, Any]) -> str:
    return "—" if figure["value"] is None else f"{figure['value']:.3f}"


def _stance_line(name: str, t: dict[str, Any]) -> str:
    if t["status"] != "ok":
        return f"  {name}: {t['status']}"
    pa = t["percent_agreement"]
    agreement = "—" if pa is None else f"{pa:.3f}"
    return (
        f"  {name}: {t['items']} items, agreement {agreement}, "
        f"kappa {_coefficient(t['cohen_kappa'])}, "
        f"alpha {_coefficient(t['krippendorff_alpha'])}, "
        f"AC1 {_coefficient(t['gwet_ac1'])}"
    )


@click.command("agree")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option(
    "--include",
    type=click.Choice([s.value for s in Selection]),
    default="submitted",
    show_default=True,
    help="submitted: every set handed in (submitted, approved, rejected); all: also work in "
    "progress; approved: gold sets only.",
)
@click.pass_obj
def agree(ctx: Any, as_json: bool, include: str) -> None:
    """Agreement between annotators: entity F1 (exact and overlap) and stance kappa/alpha/AC1."""
    report = ctx.core.agreement(Selection(include)).to_dict()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{report['documents']} document(s), {report['shared_documents']} annotated by "
        f"two or more of: {', '.join(report['annotators']) or 'nobody'}"
    )
    click.echo("Entities (pairwise F1 over documents both annotated; exact / overlap):")
    for pair in report["entities"]["pairs"]:
        who = for_terminal(f"{pair['a']} ~ {pair['b']}")
        if not pair["overlap"]:
            click.echo(f"  {who}: no overlap (no document annotated by both)")
            continue
        click.echo(
            f"  {who}: {pair['documents']} document(s), "
            f"F1 {_f1(pair['exact_match'])} / {_f1(pair['overlap_match'])}"
        )
        labels = pair["exact_match"]["per_label"] if pair["exact_match"] else {}
        for label, counts in labels.items():
            overlap = pair["overlap_match"]["per_label"].get(label, {})
            exact_f1 = "—" if counts["f1"] is None else f"{counts['f1']:.3f}"
            overlap_f1 = "—" if overlap.get("f1") is None else f"{overlap['f1']:.3f}"
            click.echo(f"      {label:<10} {exact_f1} / {overlap_f1}")
    click.echo("Stance (per target and overall):")
    click.echo(_stance_line("overall", report["stance"]["overall"]))
    for target, figures in report["stance"]["per_target"].items():
        click.echo(_stance_line(for_terminal(target), figures))
