"""Sample annotations on the first demo article (seeds/): screenshots, tests, try-outs."""

from __future__ import annotations

import uuid

from app.core.commands import AddSpan, SetStance
from app.core.domain import EntitySpan, StanceJudgement, TextRange
from app.store.core import Tawsim

# (text to find, occurrence, label): sub-word spans leave clitics out (والاتحاد, بالاتحاد).
SAMPLE_SPANS = [
    ("اليابان", 0, "GPE"),
    ("الاتحاد الأوروبي", 0, "ORG"),
    ("الاتحاد الأوروبي", 1, "ORG"),
    ("اليابان", 1, "GPE"),
    ("الصين", 0, "GPE"),
    ("كوريا الشمالية", 0, "GPE"),
    ("روسيا", 0, "GPE"),
    ("منسق السياسة الخارجية بالاتحاد الأوروبي", 0, "MISC"),
    ("الاتحاد الأوروبي", 3, "ORG"),
    ("جوزيب بوريل", 0, "PER"),
    ("طوكيو", 0, "GPE"),
    ("يوم الجمعة", 0, "DATE"),
    ("الياباني", 1, "NORP"),
    ("تاكيشي إيوايا", 0, "PER"),
]


def nth(text: str, needle: str, n: int) -> int:
    at = -1
    for _ in range(n + 1):
        at = text.index(needle, at + 1)
    return at


def annotate_sample(core: Tawsim, document_id: int) -> None:
    """The sample annotations shown in screenshots and used by GUI tests."""
    text = core.document(document_id).text
    for needle, n, label in SAMPLE_SPANS:
        start = nth(text, needle, n)
        core.perform(
            AddSpan(document_id, EntitySpan(start, start + len(needle), label), str(uuid.uuid4()))
        )
    quote = "لا يوجد سوى ترياق واحد لهذا العالم المليء بالتحديات، وهو الشراكات بين الأصدقاء"
    start, holder = text.index(quote), text.index("جوزيب بوريل")
    core.perform(
        SetStance(
            document_id,
            StanceJudgement(
                "اليابان",
                "FAVOR",
                (TextRange(start, start + len(quote)),),
                TextRange(holder, holder + len("جوزيب بوريل")),
            ),
            str(uuid.uuid4()),
        )
    )
    core.perform(SetStance(document_id, StanceJudgement("الصين", "AGAINST"), str(uuid.uuid4())))
