"""Logging: every command takes --log-file and --log-level, a log records how the command ended,
a log file that cannot be written is a clear error (exit 2, no traceback), progress bars appear
only on a terminal, and Jupyter kernel chatter never reaches a log."""

from __future__ import annotations

import io
import logging
import subprocess
import sys

import pytest

from workbench.cli import build_parser, main
from workbench.logs import configure_logging, progress_enabled


@pytest.fixture(autouse=True)
def _quiet_again():
    yield
    configure_logging()  # drop any file handler a test added


def test_every_command_takes_the_logging_options():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # argparse keeps them here
    for name, command in commands.items():
        options = {o for a in command._actions for o in a.option_strings}
        assert {"--log-file", "--log-level"} <= options, name


def test_a_log_file_records_the_start_and_the_exit_code(tmp_path, capsys):
    log = tmp_path / "logs" / "run.log"
    assert main(["spec", "--log-file", str(log)]) == 0
    text = log.read_text(encoding="utf-8")
    assert "spec: started" in text and "finished (exit 0)" in text
    assert " INFO workbench.cli: " in text  # timestamped, levelled, named


def test_an_error_is_logged_with_its_exit_code_and_shown_once(tmp_path, capsys):
    log = tmp_path / "run.log"
    code = main(["report", "no_such_notebook", "--log-file", str(log), "--log-level", "error"])
    assert code == 2
    assert "ERROR workbench.cli: report: no notebook 'no_such_notebook'" in log.read_text()
    assert "started" not in log.read_text()  # INFO is below --log-level error
    err = capsys.readouterr().err
    assert err.count("no notebook 'no_such_notebook'") == 1
    assert "Traceback" not in err


def test_a_log_file_that_cannot_be_written_names_it_and_exits_2(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    assert main(["spec", "--log-file", str(blocker / "run.log")]) == 2
    err = capsys.readouterr().err
    assert f"cannot write the log file {blocker / 'run.log'}" in err
    assert "--log-file in a folder you can write to" in err
    assert "Traceback" not in err


def test_progress_bars_only_on_a_terminal(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress_enabled(True) is False  # a log file or a pipe: no bars
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert progress_enabled(True) is True
    assert progress_enabled(False) is False  # --quiet wins


def test_kernel_chatter_is_kept_out_of_the_log(tmp_path):
    log = tmp_path / "run.log"
    configure_logging(log, "DEBUG")
    logger = logging.getLogger("workbench.publish.batch")
    logger.warning("Kernel is running over TCP without encryption. All communication ...")
    logger.error("KeyboardInterrupt caught in kernel.")
    logger.info("report region/Y56/waits ok in 2.0 s")
    text = log.read_text()
    assert "without encryption" not in text and "KeyboardInterrupt" not in text
    assert "report region/Y56/waits ok" in text


def test_python_dash_m_workbench_is_the_command():
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "--help"], capture_output=True, text=True, check=True
    )
    assert "usage: workbench" in result.stdout
