"""``tawsim review``: the reviewer's decisions for batch work, acting as ``--user``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import click

from app.core.commands import Reject, Reopen
from app.store.values import QueueFilter, QueueItem

LEVELS = click.Choice(["single", "none", "minor", "major"])


def _queue_options(fn: Any) -> Any:
    fn = click.option("--level", type=LEVELS, help="Disagreement level.")(fn)
    fn = click.option("--label", help="Only documents where a set uses this label.")(fn)
    fn = click.option("--annotator", help="Only documents this annotator submitted.")(fn)
    return fn


def _item_dict(item: QueueItem) -> dict[str, Any]:
    return {
        "document": item.document_uuid,
        "title": item.title,
        "sets": [{"set": s, "annotator": a} for s, a in item.sets],
        "level": item.comparison.level,
        "disagreements": item.comparison.disagreements,
    }


@click.group()
def review() -> None:
    """Review submitted annotations: queue, approve, reject, reopen, auto-approve."""


@review.command("queue")
@_queue_options
@click.option("--approved", is_flag=True, help="The documents already approved (gold) instead.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def queue_cmd(
    ctx: Any,
    annotator: str | None,
    label: str | None,
    level: str | None,
    approved: bool,
    as_json: bool,
) -> None:
    """Documents waiting for review, with how much their annotators disagree (or, with
    --approved, the documents decided, with their gold set to reopen)."""
    flt, n = QueueFilter(annotator, label, level, approved), 0
    if as_json:
        click.echo("[")
    for n, item in enumerate(map(_item_dict, _whole_queue(ctx.core, flt)), start=1):
        if as_json:  # streamed, an item at a time: a long queue is never held whole
            text = json.dumps(item, ensure_ascii=False, indent=2)
            click.echo(("," if n > 1 else "") + "\n".join("  " + ln for ln in text.splitlines()))
            continue
        names = ", ".join(s["annotator"] for s in item["sets"])
        click.echo(f"{item['document']}  {item['level']:<6} {item['disagreements']:>3}  {names}")
    if as_json:
        click.echo("]")
        return
    click.echo(f"{n} approved document(s)" if approved else f"{n} document(s) waiting for review")


def _whole_queue(core: Any, flt: QueueFilter, page: int = 500) -> Iterator[QueueItem]:
    after = None
    while True:
        items = core.queue(flt, after=after, limit=page)
        yield from items
        if len(items) < page:
            return
        after = items[-1].document_id


@review.command("approve")
@click.argument("set_uuids", nargs=-1)
@_queue_options
@click.pass_obj
def approve_cmd(
    ctx: Any,
    set_uuids: tuple[str, ...],
    annotator: str | None,
    label: str | None,
    level: str | None,
) -> None:
    """Approve sets by uuid, or the queued sets a filter selects (one gold set per document).

    Without SET_UUIDS, approves for each queued document matching the filters the set by
    --annotator (or its only set); documents with several candidates are skipped and listed.
    All in one transaction: if one cannot be approved, none is.
    """
    result = ctx.core.approve_many(set_uuids, QueueFilter(annotator, label, level))
    click.echo(f"approved {len(result.approved)} set(s)")
    if result.skipped:
        click.echo(
            f"skipped {len(result.skipped)} document(s) with several submitted sets; name "
            "--annotator: " + ", ".join(result.skipped),
            err=True,
        )


@review.command("reject")
@click.argument("set_uuids", nargs=-1, required=True)
@click.option("--comment", required=True, help="What the annotator should fix.")
@click.pass_obj
def reject_cmd(ctx: Any, set_uuids: tuple[str, ...], comment: str) -> None:
    """Send sets back to their annotators with a comment they will see."""
    ctx.core.perform_all([Reject(u, comment) for u in set_uuids])
    click.echo(f"rejected {len(set_uuids)} set(s)")


@review.command("reopen")
@click.argument("set_uuids", nargs=-1, required=True)
@click.pass_obj
def reopen_cmd(ctx: Any, set_uuids: tuple[str, ...]) -> None:
    """Undo approvals (or rejections): the sets are submitted again, back in the queue."""
    ctx.core.perform_all([Reopen(u) for u in set_uuids])
    click.echo(f"reopened {len(set_uuids)} set(s)")


@review.command("auto-approve")
@click.option(
    "--min-agree",
    type=int,
    default=2,
    show_default=True,
    help="How many annotators must agree completely (spans and stance).",
)
@click.pass_obj
def auto_approve_cmd(ctx: Any, min_agree: int) -> None:
    """Approve documents where at least N annotators agree completely; the rest waits."""
    result = ctx.core.auto_approve(min_agree)
    click.echo(
        f"approved {len(result.approved)} document(s) where {min_agree} or more annotators agree"
    )
