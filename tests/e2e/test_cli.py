"""The ``workbench`` command: --help answers for every subcommand; errors exit non-zero."""

import subprocess
import sys

import pytest

from workbench.cli import build_parser, main

SUBCOMMANDS = ["generate", "ingest", "spec"]


def test_every_subcommand_has_help(capsys):
    for name in SUBCOMMANDS:
        with pytest.raises(SystemExit) as exit_info:
            main([name, "--help"])
        assert exit_info.value.code == 0
        out = capsys.readouterr().out
        assert f"usage: workbench {name}" in out
        assert len(out.splitlines()) > 5


def test_top_level_help_lists_the_subcommands():
    text = build_parser().format_help()
    for name in SUBCOMMANDS:
        assert name in text


def test_console_script_runs():
    done = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("workbench ")


def test_spec_prints_markdown(capsys):
    assert main(["spec"]) == 0
    assert "## `care_contacts` (CYP201)" in capsys.readouterr().out


def test_ingest_end_to_end_prints_the_report_and_the_store_path(small_submission, tmp_path, capsys):
    assert main(["ingest", str(small_submission), "--out", str(tmp_path / "store"), "--quiet"]) == 0
    assert f"Store written to {(tmp_path / 'store').resolve()}" in capsys.readouterr().out
