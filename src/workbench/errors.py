"""Errors the workbench raises for problems a user can fix, each with an exit code for the CLI.

Messages name the file, the column and what to do, and never print a data value.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """A problem with the input or the request that the user can fix; exit code 2."""

    exit_code = 2


class BadInputError(WorkbenchError):
    """One or more submission files cannot be read as the extract specification requires.

    ``problems`` holds one sentence per problem, each naming the file (and column or line).
    """

    exit_code = 2

    def __init__(self, problems: list[str], intro: str = "The submission files cannot be loaded"):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{intro}:\n{lines}\nNothing was written to the store.")


class IdentifiableDataError(BadInputError):
    """The submission holds direct identifiers; the load stops before anything is stored."""

    exit_code = 3

    def __init__(self, problems: list[str]):
        super().__init__(
            problems,
            intro=(
                "Refused: the submission holds identifiable data. The workbench takes "
                "pseudonymised extracts only; remove or pseudonymise these columns and submit "
                "again"
            ),
        )


class ReconciliationError(WorkbenchError):
    """Rows read do not equal rows loaded + superseded + rejected for a table."""

    exit_code = 4


class DisclosureError(WorkbenchError):
    """A table cannot be released under disclosure control (measures.md section 7).

    The message names the column and never prints a data value.
    """


class ScheduleError(WorkbenchError):
    """A schedule file that cannot be used; the message names the file and the field."""
