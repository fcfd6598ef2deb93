"""Where figures come from. Every source hands the pipeline a Payload: the raw bytes as received, with where
they came from; parsing is the pipeline's job, so an API answer, a saved file and demo data go the same way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from django.utils import timezone


@dataclass
class Payload:
    content: bytes
    name: str  # file name or URL, used in every error message
    source: str  # an Observation.Source value
    query: str = ""
    table_id: str | None = None
    is_demo: bool = False
    retrieved_at: dt.datetime = field(default_factory=timezone.now)


class Source(Protocol):
    table_id: str | None

    def fetch(self) -> list[Payload]: ...
