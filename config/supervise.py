"""Keeps `make run`'s processes up: a web server, worker or beat that dies is started again (its log says why it
died), so that one crash does not take the whole stack, database included, down with it. A process that keeps
dying right after it starts is given up on, and `make run` stops with a message naming it."""

from __future__ import annotations

import subprocess
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

MAX_RESTARTS = 5  # within WINDOW seconds: past that it is a crash loop, and restarting it again would hide it
WINDOW = 60.0


class GaveUp(Exception):
    def __init__(self, name: str, code: int | None, log: Path):
        self.name, self.code, self.log = name, code, log
        super().__init__(
            f"{name} keeps exiting (code {code}, {MAX_RESTARTS} restarts within {WINDOW:.0f} s); see {log}"
        )


class Supervisor:
    def __init__(
        self,
        start: Callable[[str, list[str]], subprocess.Popen],
        specs: dict[str, list[str]],
        log_dir: Path,
        say: Callable[[str], None] = print,
    ):
        self.start, self.specs, self.log_dir, self.say = start, specs, log_dir, say
        self.children = {name: start(name, args) for name, args in specs.items()}
        self.restarts: dict[str, deque[float]] = {name: deque() for name in specs}

    def add(self, name: str, args: list[str]) -> None:
        """Start one more child, looked after as the others (`make run` starts the web server once its static
        files are collected, while the worker is already loading data)."""
        self.specs[name] = args
        self.children[name] = self.start(name, args)
        self.restarts[name] = deque()

    def check(self, now: float | None = None) -> list[str]:
        """Start again whatever has exited; return the names restarted. Raises GaveUp on a crash loop."""
        now = time.monotonic() if now is None else now
        restarted = []
        for name, proc in list(self.children.items()):
            code = proc.poll()
            if code is None:
                continue
            recent = self.restarts[name]
            while recent and now - recent[0] > WINDOW:
                recent.popleft()
            log = self.log_dir / f"{name}.log"
            if len(recent) >= MAX_RESTARTS:
                raise GaveUp(name, code, log)
            recent.append(now)
            self.say(f"Jobmål: {name} exited with code {code}; starting it again (see {log})")
            self.children[name] = self.start(name, self.specs[name])
            restarted.append(name)
        return restarted
