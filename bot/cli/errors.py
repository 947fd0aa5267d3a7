"""The one error a CLI handler raises to stop with a Dutch message and an exit code."""

from __future__ import annotations


class CliError(Exception):
    """Stop the command: print `message` on stderr and exit with `code`."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
