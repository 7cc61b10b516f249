"""What a training-format writer reports back, for the dataset card."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class FormatResult:
    """One file written: how many records and spans went in, and what could not, with why."""

    path: str
    records: int = 0
    spans_in: int = 0  # approved spans offered to the writer
    spans_written: int = 0
    dropped: list[str] = field(default_factory=list)  # "doc uuid [s, e) LABEL: why"
