"""A key in the environment of another program, never in a file: the variables
``sipstory-keys run`` sets and the lines ``sipstory-keys env`` prints, quoted for each shell.

Sipstory's own tools read ``SIPSTORY_API_KEY`` and ``SIPSTORY_API_URL``; other tools use
other names (``POSTIZ_API_KEY``...), so each name can be chosen, and several set at once.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

KEY_VARIABLE = "SIPSTORY_API_KEY"
URL_VARIABLE = "SIPSTORY_API_URL"
RUN_GUARD = "SIPSTORY_DESKTOP_RUN"
"""Set by ``sipstory-keys run`` in the command's environment: the entry whose key it holds."""
ENTRY_VARIABLE = "SIPSTORY_ENTRY"
"""The entry a command uses when none is named (a project directory can set it, e.g. with
direnv)."""

SHELLS = ("sh", "fish", "powershell", "dotenv")

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class VariableError(ValueError):
    """A variable name or value that cannot be put in an environment; says why."""


@dataclass(frozen=True)
class KeyVariables:
    """The names the key and the base URL go by (one or more of each)."""

    key: tuple[str, ...] = (KEY_VARIABLE,)
    url: tuple[str, ...] = (URL_VARIABLE,)

    @classmethod
    def chosen(cls, key: Iterable[str] | None, url: Iterable[str] | None) -> KeyVariables:
        """The names given (``--key-var``, ``--url-var``), each kind defaulting to Sipstory's."""
        names = cls(tuple(key or ()) or (KEY_VARIABLE,), tuple(url or ()) or (URL_VARIABLE,))
        for name in (*names.key, *names.url):
            if not _NAME.match(name):
                raise VariableError(
                    f"'{name}' is not a variable name: letters, digits and _, not starting "
                    "with a digit."
                )
        clash = set(names.key) & set(names.url)
        if clash:
            raise VariableError(f"{', '.join(sorted(clash))} cannot hold both the key and the URL.")
        return names

    def values(self, key: str, base_url: str) -> dict[str, str]:
        """Each name with its value: the key, or the base URL."""
        for value in (key, base_url):
            if any(ch in value for ch in "\0\n\r"):
                raise VariableError("A value holds a line break or a NUL byte.")
        return {**dict.fromkeys(self.url, base_url), **dict.fromkeys(self.key, key)}


def child_environment(
    parent: Mapping[str, str], values: Mapping[str, str], entry_name: str
) -> dict[str, str]:
    """The environment of a command run with an entry's key: the parent's, the values, and
    :data:`RUN_GUARD`. A new mapping: the parent's is left as it is."""
    return {**parent, **values, RUN_GUARD: entry_name}


def nesting_problem(parent: Mapping[str, str], entry_name: str) -> str | None:
    """Why ``run`` must not start here, inside another ``run`` for a different entry; None
    when it may (no run around it, or one for the same entry)."""
    outer = parent.get(RUN_GUARD)
    if not outer or outer.casefold() == entry_name.casefold():
        return None
    return (
        f"This shell already runs inside 'sipstory-keys run' for '{outer}' ({RUN_GUARD} is "
        f"set): a run for '{entry_name}' inside it would mix two organizations' keys. Leave "
        f"that command first, or run this one outside it."
    )


def environment_lines(values: Mapping[str, str], shell: str) -> str:
    """Lines that set ``values`` when evaluated by ``shell`` (:data:`SHELLS`), each value
    quoted so that the shell takes it literally, whatever it holds."""
    try:
        line = _LINES[shell]
    except KeyError:
        raise VariableError(f"Unknown shell '{shell}': one of {', '.join(SHELLS)}.") from None
    return "".join(line(name, value) + "\n" for name, value in values.items())


def _sh(name: str, value: str) -> str:
    return f"export {name}='" + value.replace("'", "'\\''") + "'"


def _fish(name: str, value: str) -> str:
    # In fish's single quotes, only \\ and \' are escapes.
    return f"set -gx {name} '" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _powershell(name: str, value: str) -> str:
    # A single-quoted string in PowerShell is literal; a quote is written twice (the
    # typographic single quotes count as quotes too).
    quoted = re.sub("(['\u2018\u2019\u201a\u201b])", r"\1\1", value)
    return f"$env:{name} = '{quoted}'"


def _dotenv(name: str, value: str) -> str:
    # Single quotes as python-dotenv, Docker Compose and most loaders read them: \' and \\
    # are the only escapes.
    return f"{name}='" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


_LINES = {"sh": _sh, "fish": _fish, "powershell": _powershell, "dotenv": _dotenv}


def terminal_commands(entry_name: str, program: str = "sipstory-keys") -> dict[str, str]:
    """What to type to use an entry's key from a shell: ``run`` a command with it, ``sh``
    and ``fish`` to set the variables in the shell, ``direnv`` for a project's ``.envrc``.
    No key in any of them: they ask ``program`` for it when they run."""
    name = shlex.quote(entry_name)
    return {
        "run": f"{program} run {name} -- COMMAND",
        "sh": f'eval "$({program} env {name})"',
        "fish": f"{program} env {name} --shell fish | source",
        "direnv": f"export {ENTRY_VARIABLE}={name}",
    }
