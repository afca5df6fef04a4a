"""The docs stay whole: every CLI command and eval task is in the README, which opens with the
two commands CI and new users rely on."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from sitrep.cli import cli
from sitrep.eval import TASKS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, command in group.commands.items():
        names.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix}{name} ")
    return names


@pytest.mark.parametrize("command", _commands(cli))
def test_docs_readme_names_every_command(command: str) -> None:
    assert f"sitrep {command}" in README


@pytest.mark.parametrize("task", sorted(TASKS))
def test_docs_readme_names_every_eval_task(task: str) -> None:
    assert task in README.split("sitrep eval TASK", 1)[1].splitlines()[0]


def test_docs_readme_opens_with_the_two_commands() -> None:
    block = re.match(r"```sh\n(.*?)```", README, re.S)
    assert block, "README must open with a sh code block"
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]


def test_docs_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()
