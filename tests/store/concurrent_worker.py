"""One member of an annotation team, run as its own process by
``tests/store/test_concurrent_team.py``: an annotator labelling and handing in documents, or a
reviewer approving and rejecting what is handed in, at the same time as the others.

    python -m tests.store.concurrent_worker DB_URL NAME ROLE FOLDER SEED

The worker opens the database, says it is ready (``FOLDER/ready-NAME``), waits for
``FOLDER/go`` (the start barrier: it holds the moment work stops), then works until then.
Everything it believed was done (what its screen would show as done) and every refusal it
was given goes to ``FOLDER/NAME.jsonl``, one JSON object a line, written as it happens:

- ``{"op": "edit", "doc", "steps": [...]}``: a label batch went through; a step is
  ``["add", uuid, start, end, label]``, ``["remove", uuid]``, ``["change", uuid, start, end,
  label]``, ``["stance", target, value]`` or ``["unstance", target]``;
- ``{"op": "submit", "doc"}``;
- ``{"op": "approve" | "reject" | "reopen", "doc", "set", "changed"}`` (``changed``: false when
  the core answered that nothing needed doing, e.g. approving a set already approved);
- ``{"op": "refused", "what", "kind", "error", "message"}``: a :class:`TawsimError`;
- ``{"op": "crash", "traceback"}``: anything else, and the worker exits with status 1.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from app.core.commands import (
    AddSpan,
    Approve,
    Batch,
    Changes,
    ChangeSpan,
    LabelCommand,
    Reject,
    RemoveSpan,
    RemoveStance,
    Reopen,
    SetStance,
)
from app.core.domain import EntitySpan, Role, SetStatus, StanceJudgement
from app.core.errors import (
    Conflict,
    DatabaseBusy,
    PermissionDenied,
    StaleEdit,
    TawsimError,
)
from app.store.core import Tawsim
from app.store.database import Database
from app.store.values import DocumentState, ListFilter

LABELS = ("PER", "ORG", "GPE", "LOC", "EVENT")
TARGETS = ("الاتحاد الأوروبي", "اليابان", "الصين")
VALUES = ("FAVOR", "AGAINST", "NEUTRAL", "NONE")
MAX_SPANS = 5
BUSY_RETRIES = 3
T = TypeVar("T")

# What a refusal may say, and which kind of expected refusal that is. Anything else a worker
# is refused is logged as "unexpected" (the test fails on it).
_ONE_GOLD = re.compile(r"already has an approved set|one gold set")
_DECIDED = re.compile(
    r"this set is (approved|submitted)\b|is already (submitted|approved)"
    r"|only a decided set can be reopened"
)


def kind_of(exc: TawsimError) -> str:
    """busy, stale, one-gold-set, already-decided, or unexpected."""
    said = str(exc)
    if isinstance(exc, DatabaseBusy):
        return "busy"
    if isinstance(exc, StaleEdit):
        return "stale"
    if isinstance(exc, (Conflict, PermissionDenied)) and _ONE_GOLD.search(said):
        return "one-gold-set"
    if isinstance(exc, PermissionDenied) and _DECIDED.search(said):
        return "already-decided"
    return "unexpected"


class Worker:
    def __init__(self, core: Tawsim, name: str, folder: Path, seed: int):
        self.core, self.name, self.seed = core, name, seed
        self.rng = random.Random(seed)
        self.log_file = (folder / f"{name}.jsonl").open("a", encoding="utf-8")

    def log(self, **entry: Any) -> None:
        entry["t"] = time.time()
        self.log_file.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.log_file.flush()

    def attempt(self, what: str, action: Callable[[], T]) -> T | None:
        """``action()``, its refusals logged (None then); a busy database is tried again a
        few times, as a person would after the message."""
        for _ in range(BUSY_RETRIES + 1):
            try:
                return action()
            except TawsimError as exc:
                kind = kind_of(exc)
                self.log(
                    op="refused", what=what, kind=kind, error=type(exc).__name__, message=str(exc)
                )
                if kind != "busy":
                    return None
                time.sleep(self.rng.uniform(0.02, 0.1))
        return None


class Annotator(Worker):
    """Labels documents, hands them in, and labels again what a reviewer sent back."""

    def run(self, documents: list[int], until: float) -> None:
        sent_back = self.core.query(ListFilter.REJECTED)  # the list's "rejected" filter
        while time.time() < until:
            rejected = self.core.page_ids(sent_back, None, 50) if self.rng.random() < 0.5 else []
            doc = self.rng.choice(rejected or documents)
            state = self.core.document(doc)
            if not state.editable:
                time.sleep(0.005)
                continue
            self.edit(state)
            if self.rng.random() < 0.4:  # then hand it in, on the same view
                self.submit(self.core.refreshed(state))

    def edit(self, state: DocumentState) -> None:
        """One batch of one to three label changes on the set as this view shows it."""
        steps: list[list[Any]] = []
        commands: list[LabelCommand] = []
        spans = {s.uuid: (s.start, s.end, s.label) for s in state.spans}
        stances = {s.judgement.target for s in state.stances}
        touched: set[str] = set()  # targets this batch already set or removed
        for _ in range(self.rng.randint(1, 3)):
            roll = self.rng.random()
            if spans and (roll < 0.2 or len(spans) >= MAX_SPANS):
                gone = self.rng.choice(sorted(spans))
                del spans[gone]
                commands.append(RemoveSpan(state.id, gone))
                steps.append(["remove", gone])
            elif spans and roll < 0.35:
                which = self.rng.choice(sorted(spans))
                start, end, was = spans[which]
                label = self.rng.choice([x for x in LABELS if x != was])
                spans[which] = (start, end, label)
                commands.append(ChangeSpan(state.id, which, EntitySpan(start, end, label)))
                steps.append(["change", which, start, end, label])
            elif roll < 0.75:
                used = {(a, b) for a, b, _label in spans.values()}
                free = [w for w in words(state.text) if w not in used]
                if not free:
                    continue
                (start, end), label = self.rng.choice(free), self.rng.choice(LABELS)
                new = str(uuid.uuid4())
                spans[new] = (start, end, label)
                commands.append(AddSpan(state.id, EntitySpan(start, end, label), new))
                steps.append(["add", new, start, end, label])
            else:
                target = self.rng.choice(TARGETS)
                if target in touched:
                    continue
                touched.add(target)
                if target in stances and self.rng.random() < 0.3:
                    stances.discard(target)
                    commands.append(RemoveStance(state.id, target))
                    steps.append(["unstance", target])
                else:
                    value = self.rng.choice(VALUES)
                    stances.add(target)
                    judgement = StanceJudgement(target, value)
                    commands.append(SetStance(state.id, judgement, str(uuid.uuid4())))
                    steps.append(["stance", target, value])
        if not commands:
            return
        batch = Batch(state.id, tuple(commands), "edit")
        if self.attempt("edit", lambda: self.core.perform(batch, seen=state.version)) is not None:
            self.log(op="edit", doc=state.id, steps=steps)

    def submit(self, state: DocumentState) -> None:
        if state.status is None or not state.editable:
            return
        if self.attempt("submit", lambda: self.core.submit(state.id)) is not None:
            self.log(op="submit", doc=state.id)


class Reviewer(Worker):
    """Takes a document from the top of the queue (so two reviewers often take the same one),
    reads its sets, approves or rejects one annotator's, and now and then undoes one of its
    approvals."""

    def run(self, _documents: list[int], until: float) -> None:
        approved: list[tuple[int, str]] = []
        while time.time() < until:
            if approved and self.rng.random() < 0.05:
                doc, set_id = approved.pop(self.rng.randrange(len(approved)))
                self.decide("reopen", doc, set_id, Reopen(set_id))
                continue
            items = self.core.queue(limit=3)
            if not items:
                time.sleep(0.02)
                continue
            item = items[0] if self.rng.random() < 0.6 else self.rng.choice(items)
            shown = self.core.review_sets(item.document_id)  # what the window then shows
            time.sleep(self.rng.uniform(0, 0.06))  # read before deciding: others decide meanwhile
            handed_in = [s.uuid for s in shown if s.status is SetStatus.SUBMITTED]
            if not handed_in:
                continue
            # Reviewers differ in taste: one mostly prefers the first version, the other the
            # last, so on one document they often approve different sets at the same moment.
            favourite = handed_in[0] if self.seed % 2 else handed_in[-1]
            set_id = favourite if self.rng.random() < 0.7 else self.rng.choice(handed_in)
            if self.rng.random() < 0.55:
                if self.decide("approve", item.document_id, set_id, Approve(set_id)):
                    approved.append((item.document_id, set_id))
            else:
                comment = f"{self.name}: check the spans again"
                self.decide("reject", item.document_id, set_id, Reject(set_id, comment))

    def decide(self, op: str, doc: int, set_id: str, decision: Approve | Reject | Reopen) -> bool:
        done: Changes | None = self.attempt(op, lambda: self.core.perform(decision))
        if done is None:
            return False
        self.log(op=op, doc=doc, set=set_id, changed=done.status)
        return True


def words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\s،.؟!:«»()\"]+", text)]


def main(argv: list[str]) -> int:
    url, name, role, where, seed = argv
    folder = Path(where)
    with Database.open(url) as db:
        core = Tawsim(db, name)
        kind = Reviewer if Role(core.whois().role).can_review else Annotator
        assert kind.__name__.lower() == role, (name, role, core.whois())
        worker = kind(core, name, folder, int(seed))
        try:
            documents = core.page_ids(core.query(), None, 10_000)
            (folder / f"ready-{name}").touch()
            go = folder / "go"
            while not go.exists():  # the parent renames it into place, written
                time.sleep(0.005)
            until = float(go.read_text())
            worker.run(documents, until)
        except Exception:
            worker.log(op="crash", traceback=traceback.format_exc())
            return 1
        finally:
            worker.log(op="end")
            worker.log_file.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
