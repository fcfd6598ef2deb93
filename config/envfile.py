"""The development `.env`: KEY=VALUE lines read into the environment, where a real variable always wins.

`make run`, `make test` and `make bench` write it (DEBUG=true and a random SECRET_KEY) when it is missing. The
format is the common subset that docker compose and python-dotenv also read: `#` comments, an optional `export `,
values optionally in single or double quotes (taken literally: no escapes, no interpolation).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent.parent / ".env"
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse(text: str, source: str = ".env") -> dict[str, str]:
    values = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not _KEY.fullmatch(key):
            # A typo must not silently drop a setting (a missing SECRET_KEY line would only show up much later).
            raise ValueError(f"{source}, line {number}: expected KEY=VALUE, got {raw!r}")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0]
        values[key] = value
    return values


def load(path: str | Path | None = None) -> Path | None:
    """Read the file into os.environ without overriding anything already set; return it, or None if there is none.

    JOBMAAL_ENV_FILE names another file, or none at all when empty (the tests use that to see production
    settings in a checkout that has a development .env)."""
    if path is None:
        path = os.environ.get("JOBMAAL_ENV_FILE", DEFAULT_PATH)
    if not path:
        return None
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    for key, value in parse(text, source=str(path)).items():
        os.environ.setdefault(key, value)
    return path
