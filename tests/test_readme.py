"""The README's quick start, as written: every ``$ command`` of its console blocks is run in
order, copy-pasted, from a folder laid out like the project's (its data and its .venv), and
what it prints is compared with what the README shows (``[…]`` stands for lines left out;
a CSV's leading byte-order mark is invisible in the README and not compared)."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow
README = ROOT / "README.md"
OMITTED = "[…]"


def console_blocks(text: str) -> list[list[tuple[str, list[str]]]]:
    """Each ```console block as (command, the lines it prints)."""
    blocks = []
    for body in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        steps: list[tuple[str, list[str]]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
        blocks.append(steps)
    return blocks


def shows(expected: list[str], printed: list[str]) -> bool:
    """``printed`` is ``expected``, where each ``[…]`` stands for any lines."""
    if OMITTED not in expected:
        return printed == expected
    parts = [[]]
    for line in expected:
        if line == OMITTED:
            parts.append([])
        else:
            parts[-1].append(line)
    at = 0
    for i, part in enumerate(parts):
        if not part:
            continue
        if i == 0:
            if printed[:len(part)] != part:
                return False
            at = len(part)
            continue
        found = next((k for k in range(at, len(printed) - len(part) + 1)
                      if printed[k:k + len(part)] == part), None)
        if found is None:
            return False
        at = found + len(part)
    return parts[-1] == [] or printed[len(printed) - len(parts[-1]):] == parts[-1]


def test_the_quick_start_runs_as_written(tmp_path):
    blocks = console_blocks(README.read_text(encoding="utf-8"))
    assert blocks and any("vanban query" in c for b in blocks for c, _ in b)
    for name in ("data", ".venv"):  # the project's folder, without the database it makes
        (tmp_path / name).symlink_to(ROOT / name)
    env = {k: v for k, v in os.environ.items() if k != "VANBAN_DB"}
    exported: list[str] = []  # a reader's shell keeps them from one block to the next
    for steps in blocks:
        for command, expected in steps:
            if command.startswith("export "):
                exported.append(command)
                continue
            run = subprocess.run(["bash", "-c", "; ".join([*exported, command])], cwd=tmp_path,
                                 env=env, capture_output=True, text=True, timeout=600)
            assert run.returncode == 0, (command, run.stderr)
            printed = run.stdout.removeprefix("\ufeff").splitlines()
            assert shows(expected, printed), (command, "\n".join(printed))


def test_an_omission_mark_stands_for_lines_not_for_anything():
    assert shows(["a", OMITTED, "d"], ["a", "b", "c", "d"])
    assert not shows(["a", OMITTED, "d"], ["a", "b", "c"])
    assert shows(["a", OMITTED], ["a", "b"]) and not shows(["a"], ["a", "b"])
