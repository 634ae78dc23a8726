"""User-facing errors: one line naming the file (and line), a documented exit code."""
from __future__ import annotations

# Exit codes, documented in README.md.
EXIT_USAGE = 2        # bad command line
EXIT_INPUT = 3        # a source, manifest or image the user gave is unusable
EXIT_BUILD = 4        # the build itself failed (e.g. a character missing from the fonts)


def os_error_line(exc: OSError, where) -> str:
    """The one line for a system error (a full disk, a read-only folder): the file
    it names, else `where`, and the system's reason."""
    return f"{exc.filename or where}: {exc.strerror or exc}"


class UserError(Exception):
    """A problem in what the user gave us; printed as one line, never a traceback."""

    exit_code = EXIT_INPUT

    def __init__(self, path, message: str, line: int | None = None, exit_code: int | None = None):
        super().__init__(message)
        self.path = str(path) if path is not None else None
        self.message = message
        self.line = line
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        where = self.path or "pipeline"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.message}"
