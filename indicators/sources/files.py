from __future__ import annotations

import datetime as dt
from pathlib import Path

from indicators.formats import SourceFormatError
from indicators.messages import N_, Msg
from indicators.sources import Payload


class FileSource:
    """A table a user downloaded from Jobindsats or saved from the API: v2/v3 JSON or CSV."""

    def __init__(self, path: str | Path, table_id: str | None = None):
        self.path = Path(path)
        self.table_id = table_id

    def fetch(self) -> list[Payload]:
        try:
            content = self.path.read_bytes()
        except OSError as exc:
            raise SourceFormatError(
                Msg(N_("%(path)s: cannot be read (%(error)s)"), path=self.path, error=exc.strerror)
            ) from None
        modified = dt.datetime.fromtimestamp(self.path.stat().st_mtime, tz=dt.UTC)
        return [
            Payload(
                content=content,
                name=self.path.name,
                source="file",
                query=str(self.path.name),
                table_id=self.table_id,
                retrieved_at=modified,
            )
        ]
