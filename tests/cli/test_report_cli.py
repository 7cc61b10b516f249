"""``tawsim report OUT.html``: one self-contained page with the figures, as the user may see
them; clear refusals, no traceback."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.store.database import Database
from tests.cli.test_cli import tawsim
from tests.dashboard_corpus import SARA, build_corpus

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def corpus_file(db_path: Path, tmp_path: Path) -> Path:
    database = Database.open(db_path)
    try:
        build_corpus(database, tmp_path)
    finally:
        database.close()
    return db_path


class _Page(HTMLParser):
    """What a browser would fetch (every src/href), the images, the right-to-left texts."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []
        self.tags: list[str] = []
        self.rtl: list[str] = []
        self._in_rtl = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        self.addresses += [v or "" for k, v in attrs if k in ("src", "href", "srcset", "action")]
        if found.get("dir") == "rtl":
            self._in_rtl += 1

    def handle_endtag(self, tag: str) -> None:
        if self._in_rtl and tag in ("td", "span"):
            self._in_rtl -= 1

    def handle_data(self, data: str) -> None:
        if self._in_rtl:
            self.rtl.append(data)


def _page(path: Path) -> tuple[str, _Page]:
    text = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    return text, page


def test_the_report_is_one_page_with_its_figures_inside(corpus_file: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "report.html"
    result = tawsim("--user", "rana", "report", out, db=corpus_file)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"wrote {out}" in result.stderr
    assert [p.name for p in out_dir.iterdir()] == ["report.html"]  # nothing beside it

    text, page = _page(out)
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text
    assert len(page.addresses) == 6 and all(
        a.startswith("data:image/png;base64,") for a in page.addresses
    )
    for address in page.addresses:
        assert base64.b64decode(address.split(",", 1)[1]).startswith(PNG)
    assert not {"link", "script", "iframe", "object", "embed"} & set(page.tags)
    assert not re.search(r"https?:|url\(|@import", text)
    assert [t for t in page.tags if t == "section"] == ["section"] * 6
    for title in ("Progress per annotator", "Label distribution", "Stance per target",
                  "Review throughput", "Agreement over time"):  # fmt: skip
        assert f"<h2>{title}</h2>" in text
    assert {SARA, "الصين", "اليابان", "كيان جيوسياسي"} <= set(page.rtl)
    row = '<tr><td>amal</td><td class="n">0</td><td class="n">3</td><td class="n">1</td>'
    assert row in text
    assert "<tr><td>2025-03-03</td>" in text and "<tr><td>2025-W10</td>" in text


def test_an_annotators_report_holds_their_own_work(corpus_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "amal.html"
    result = tawsim("--user", "amal", "report", out, db=corpus_file)
    assert result.returncode == 0, result.stderr
    assert "the work of amal only" in result.stderr
    text, page = _page(out)
    assert "Annotation is blind" in text
    assert "omar" not in text and SARA not in text
    assert "2025-W10" not in text  # no agreement figures: they compare annotators' work
    assert len(page.addresses) == 6


def test_a_bad_place_is_refused_without_a_traceback(corpus_file: Path, tmp_path: Path) -> None:
    for where, says in (
        (tmp_path / "missing" / "r.html", "the folder to write the report into does not exist"),
        (tmp_path, "is a folder"),
    ):
        result = tawsim("--user", "rana", "report", where, db=corpus_file)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        assert says in result.stderr
    assert not (tmp_path / "missing").exists()


def test_the_report_replaces_a_previous_one_whole(corpus_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("old", encoding="utf-8")
    assert tawsim("--user", "rana", "report", out, db=corpus_file).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_the_command_is_listed(tmp_path: Path) -> None:
    result = tawsim("--help", db=tmp_path / "t.db")
    assert result.returncode == 0 and re.search(r"^\s+report\s", result.stdout, re.M)
