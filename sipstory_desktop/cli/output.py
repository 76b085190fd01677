"""What every command prints the same way: exit statuses, lights and tables, the vault's
notices, and an error turned into one message and exit status 2, never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from ..core.config import ConfigError
from ..core.entries import EntryError
from ..core.export_format import TransferError
from ..core.key_environment import VariableError
from ..core.keys import InvalidKeyText
from ..core.secrets import SecretStoreError
from ..core.state import StateError
from ..core.status import Light, Status
from ..core.urls import UrlError
from ..core.vault import Vault

EXIT_OK, EXIT_NOT_CONNECTED, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called; exit status 2."""


_SYMBOLS = {Light.GREEN: "●", Light.AMBER: "▲", Light.RED: "✖", Light.GREY: "○"}
_ASCII_SYMBOLS = {Light.GREEN: "o", Light.AMBER: "!", Light.RED: "x", Light.GREY: "-"}
_COLOURS = {Light.GREEN: "32", Light.AMBER: "33", Light.RED: "31", Light.GREY: "90"}


class Printer:
    """Writes tables with lights: coloured on a terminal, plain when piped or NO_COLOR."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.colour = (
            out.isatty() and not os.environ.get("NO_COLOR") and (os.environ.get("TERM") != "dumb")
        )
        encoding = (getattr(out, "encoding", None) or "ascii").lower()
        self.symbols = _SYMBOLS if encoding.startswith("utf") else _ASCII_SYMBOLS

    def light(self, status: Status) -> str:
        text = f"{self.symbols[status.light]} {status.label}"
        if self.colour:
            return f"\033[{_COLOURS[status.light]}m{text}\033[0m"
        return text

    def dim(self, text: str) -> str:
        return f"\033[2m{text}\033[0m" if self.colour else text

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        plain_widths: Sequence[Sequence[int]] | None = None,
    ) -> None:
        """Print columns padded to their widest cell (measured without colour codes)."""
        widths = [len(h) for h in header]
        for index, row in enumerate(rows):
            for col, cell in enumerate(row):
                visible = plain_widths[index][col] if plain_widths else len(cell)
                widths[col] = max(widths[col], visible)
        print(
            "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
            file=self.out,
        )
        for index, row in enumerate(rows):
            cells = []
            for col, cell in enumerate(row):
                visible = plain_widths[index][col] if plain_widths else len(cell)
                cells.append(cell + " " * (widths[col] - visible))
            print("  ".join(cells).rstrip(), file=self.out)


def print_notices(vault: Vault) -> None:
    for notice in vault.notices:
        print(f"warning: {notice}", file=sys.stderr)


def run_reporting_errors(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """``run(args)``'s exit status; an error it raises becomes a message and its status."""
    try:
        code: int = run(args)
    except (UsageError, EntryError, UrlError, InvalidKeyText, TransferError, VariableError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (ConfigError, StateError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except SecretStoreError as exc:
        print(f"error: {exc.message}\nhint: {exc.hint}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a file or folder we cannot use; never a traceback
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_ERROR
    return code
