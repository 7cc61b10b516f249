"""``tawsim review``: the reviewer's decisions for batch work, acting as ``--user``."""

from __future__ import annotations

import json
from typing import Any

import click

from app.core.errors import InputError
from app.store.services import annotations as svc
from app.store.services.review import QueueItem, approve_as_gold, auto_approve, queue
from app.store.services.users import acting_user

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
    """Review submitted annotations: queue, approve, reject, auto-approve."""


@review.command("queue")
@_queue_options
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def queue_cmd(
    ctx: Any, annotator: str | None, label: str | None, level: str | None, as_json: bool
) -> None:
    """Documents waiting for review, with how much their annotators disagree."""
    with ctx.db.session() as session:
        items = [
            _item_dict(i) for i in queue(session, annotator=annotator, label=label, level=level)
        ]
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    for item in items:
        names = ", ".join(s["annotator"] for s in item["sets"])
        click.echo(f"{item['document']}  {item['level']:<6} {item['disagreements']:>3}  {names}")
    click.echo(f"{len(items)} document(s) waiting for review")


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
    """
    approved, skipped = 0, []
    with ctx.db.session() as session, session.begin():
        actor = acting_user(session, ctx.user)
        if set_uuids:
            for set_uuid in set_uuids:
                approve_as_gold(session, actor, svc.get_set(session, set_uuid))
                approved += 1
        elif not (annotator or label or level):
            raise InputError("name sets to approve, or a filter (--annotator, --label, --level)")
        else:
            for item in list(queue(session, annotator=annotator, label=label, level=level)):
                chosen = [s for s, a in item.sets if annotator is None or a == annotator]
                if len(chosen) != 1:
                    skipped.append(item.document_uuid)
                    continue
                approve_as_gold(session, actor, svc.get_set(session, chosen[0]))
                approved += 1
    click.echo(f"approved {approved} set(s)")
    if skipped:
        click.echo(
            f"skipped {len(skipped)} document(s) with several submitted sets; name "
            "--annotator: " + ", ".join(skipped),
            err=True,
        )


@review.command("reject")
@click.argument("set_uuids", nargs=-1, required=True)
@click.option("--comment", required=True, help="What the annotator should fix.")
@click.pass_obj
def reject_cmd(ctx: Any, set_uuids: tuple[str, ...], comment: str) -> None:
    """Send sets back to their annotators with a comment they will see."""
    with ctx.db.session() as session, session.begin():
        actor = acting_user(session, ctx.user)
        for set_uuid in set_uuids:
            svc.reject(session, actor, svc.get_set(session, set_uuid), comment)
    click.echo(f"rejected {len(set_uuids)} set(s)")


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
    with ctx.db.session() as session, session.begin():
        actor = acting_user(session, ctx.user)
        approved = auto_approve(session, actor, min_agree)
    click.echo(f"approved {len(approved)} document(s) where {min_agree} or more annotators agree")
