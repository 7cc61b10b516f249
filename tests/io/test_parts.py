"""What a killed run leaves beside its target is removed by the next write of that target,
and a second process does not outlive the process that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.io.output import write_atomically
from tests.conftest import REPO


def linger(seconds: float, say: object) -> None:
    """A second process's job that takes its time (run by the test below)."""
    time.sleep(seconds)


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(done.stdout)


@pytest.mark.parametrize("name", ["out.jsonl", "a[1]*.jsonl"])
def test_the_next_write_removes_what_a_dead_run_left_and_only_that(
    tmp_path: Path, name: str
) -> None:
    dead, live = _dead_pid(), os.getpid()
    stale_file = tmp_path / f".{name}.{dead}.abc123.part"
    stale_folder = tmp_path / f".{name}.{dead}.xyz789.part"
    running = tmp_path / f".{name}.{live}.q1w2e3.part"  # another export of this process, still on
    other = tmp_path / f".other.jsonl.{dead}.abc123.part"  # another target's
    stale_file.write_text("half")
    stale_folder.mkdir()
    (stale_folder / "0001.spacy").write_bytes(b"half")
    running.write_text("going on")
    other.write_text("half")
    write_atomically(tmp_path / name, "whole\n")
    assert (tmp_path / name).read_text() == "whole\n"
    assert not stale_file.exists() and not stale_folder.exists()
    assert running.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, running.name, other.name])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal")
def test_a_second_process_dies_with_the_process_that_started_it(tmp_path: Path) -> None:
    """Killed mid-job, the parent takes its second process with it (it would otherwise go on
    writing a part file of the export nobody collects)."""
    script = (
        "import sys, time\n"
        "from app.io.writer_process import WriterProcess\n"
        "p = WriterProcess.start()\n"
        "p.call('tests.io.test_parts:linger', 60)\n"
        "print(p._process.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    time.sleep(0.5)  # the job under way
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        # a zombie (reaped by init soon) counts as gone
        if Path(f"/proc/{child}/stat").read_text().split(")")[-1].split()[0] == "Z":
            return
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the second process outlived its parent")
