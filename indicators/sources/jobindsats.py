"""Jobindsats API clients, v3 (current) and v2 (older integrations and exports).

Both check the body as well as the status (a wrong key has been answered with 200 and a JSON message), retry
429, 5xx, time-outs and dropped connections a few times with exponential back-off and jitter, and raise
TransientSourceError when that is not enough, so the Celery task can retry later. Value ids, hierarchy ids and
period lists are always read from the table's metadata by name, never written into the code.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import requests

from indicators.formats import WRONG_KEY, SourceAuthError, SourceError, SourceFormatError
from indicators.messages import N_, Msg
from indicators.sources import Payload

FREQUENCY_TO_PERIOD_TYPE = {"M": "M", "Q": "Q", "QMAT": "QMAT", "Y": "Y", "H": "H"}
TRAILING_PERIODS = 14  # ≥ 13 so that the same period last year and late revisions are always re-fetched


class TransientSourceError(SourceError):
    """Worth trying again later: rate limiting, server errors, time-outs, connection trouble."""


class UnknownTableError(SourceError):
    pass


class Client:
    version = "v3"

    def __init__(
        self,
        key: str,
        base_url: str,
        *,
        timeout: float = 30,
        attempts: int = 3,
        backoff: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not key:
            raise SourceAuthError(Msg(N_("No Jobindsats API key: set JOBINDSATS_API_KEY (issued by STAR on request)")))
        self.key = key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.sleep = sleep
        self.session = requests.Session()

    def auth_header(self) -> str:
        return f"Bearer {self.key}"

    def url(self, path: str, params: dict | None = None) -> str:
        query = f"?{urlencode(params, safe='*:/,.()')}" if params else ""
        return f"{self.base_url}{path}{query}"

    def get(self, path: str, params: dict | None = None) -> bytes:
        """GET with the key; the body on success, SourceError (transient or not) otherwise."""
        url = self.url(path, params)
        last: SourceError | None = None
        for attempt in range(self.attempts):
            wait = self.backoff * 2**attempt * (1 + random.random() / 2)  # noqa: S311 (jitter, not crypto)
            try:
                response = self.session.get(url, headers={"Authorization": self.auth_header()}, timeout=self.timeout)
            except requests.Timeout:
                last = TransientSourceError(
                    Msg(N_("%(url)s: no answer within %(seconds)s s"), url=url, seconds=f"{self.timeout:g}")
                )
            except requests.ConnectionError as exc:
                last = TransientSourceError(
                    Msg(N_("%(url)s: connection failed (%(error)s)"), url=url, error=exc.__class__.__name__)
                )
            else:
                status = response.status_code
                if status in (401, 403):
                    expected = "Authorization: Bearer <key>" if self.version == "v3" else "Authorization: <key>"
                    raise SourceAuthError(
                        Msg(
                            N_(
                                "%(url)s: HTTP %(status)s: Jobindsats refused the API key "
                                "(%(version)s expects %(expected)s)"
                            ),
                            url=url,
                            status=status,
                            version=self.version,
                            expected=expected,
                        )
                    )
                if status == 404:
                    raise UnknownTableError(
                        Msg(N_("%(url)s: HTTP 404: no such table or resource at Jobindsats"), url=url)
                    )
                if status == 429 or status >= 500:
                    last = TransientSourceError(
                        Msg(N_("%(url)s: HTTP %(status)s from Jobindsats"), url=url, status=status)
                    )
                    retry_after = response.headers.get("Retry-After", "")
                    if retry_after.isascii() and retry_after.isdigit():
                        wait = float(retry_after)
                elif status != 200:
                    raise SourceError(
                        Msg(
                            N_("%(url)s: HTTP %(status)s from Jobindsats: %(answer)s"),
                            url=url,
                            status=status,
                            answer=response.text[:200],
                        )
                    )
                else:
                    body = response.content
                    if WRONG_KEY.encode() in body[:200]:
                        raise SourceAuthError(
                            Msg(
                                N_("%(name)s: Jobindsats rejected the API key (%(answer)s)"), name=url, answer=WRONG_KEY
                            )
                        )
                    return body
            if attempt + 1 < self.attempts:
                self.sleep(wait)
        raise last  # type: ignore[misc]

    def get_json(self, path: str, params: dict | None = None):
        body = self.get(path, params)
        try:
            return json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            snippet = body[:80].decode("utf-8", "replace")
            raise SourceFormatError(
                Msg(N_("%(url)s: expected JSON, got '%(answer)s'"), url=self.url(path, params), answer=snippet)
            ) from None


def _walk(node) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


class V3(Client):
    version = "v3"

    def tables(self) -> list[dict]:
        """Every table in the catalogue: table_id, table_name, update_latest, update_next, update_freq, subject."""
        catalogue = self.get_json("/v3/tables", {"format": "json"})
        found = []
        for subject in catalogue if isinstance(catalogue, list) else [catalogue]:
            name = subject.get("subject_name", "") if isinstance(subject, dict) else ""
            for node in _walk(subject):
                if "table_id" in node:
                    found.append({**node, "subject": name})
        return found

    def metadata(self, table_id: str) -> dict:
        return self.get_json(f"/v3/table/{table_id}", {"format": "json"})

    def query(self, table_id: str, meta: dict, *, period_type: str, periods: str, dimensions: list[str]) -> dict:
        """The data query for a table: all municipalities, the named breakdown dimensions, all measures."""
        types = {node["periodtype_id"]: node for node in _walk(meta.get("periods", [])) if "periodtype_id" in node}
        if period_type not in types:
            raise SourceFormatError(
                f"table {table_id} has no {period_type} periods (it has {', '.join(sorted(types)) or 'none'})"
            )
        params = {"mgroup.*": "*", f"period.{period_type}": periods}
        area = _dimension(meta, table_id, area=True)
        params[f"hierarchy.{_hierarchy(area, table_id, 'kommun')['hierarchy_id']}"] = "*"
        for label in dimensions:
            dim = _dimension(meta, table_id, name=label)
            params[f"hierarchy.{dim['hierarchies'][0]['hierarchy_id']}"] = "*"
        params["format"] = "json"
        return params

    def period_ids(self, meta: dict, period_type: str) -> list[str]:
        for node in _walk(meta.get("periods", [])):
            if node.get("periodtype_id") == period_type:
                ids = node.get("period_ids") or node.get("periods") or []
                return [p["period_id"] if isinstance(p, dict) else str(p) for p in ids]
        return []


def _dimension(meta: dict, table_id: str, *, area: bool = False, name: str = "") -> dict:
    dims = meta.get("dimensions", [])
    for dim in dims:
        dim_name = str(dim.get("dimension_name", "")).casefold()
        if area and (dim.get("dimension_id") == "_omrade" or dim_name in {"område", "omrade", "area"}):
            return dim
        if name and dim_name == name.casefold():
            return dim
    if area:
        raise SourceFormatError(Msg(N_("table %(table)s: the metadata has no area dimension"), table=table_id))
    raise SourceFormatError(
        Msg(N_("table %(table)s: the metadata has no dimension '%(dimension)s'"), table=table_id, dimension=name)
    )


def _hierarchy(dimension: dict, table_id: str, name_part: str) -> dict:
    for hierarchy in dimension.get("hierarchies", []):
        if name_part in str(hierarchy.get("hierarchy_name", "")).casefold():
            return hierarchy
    raise SourceFormatError(
        Msg(
            N_("table %(table)s: no municipality hierarchy ('%(name)s…') in the area dimension"),
            table=table_id,
            name=name_part,
        )
    )


def value_id(dimension: dict, value_name: str) -> str:
    """The path-like id (e.g. '/2/') of a named value, looked up in the metadata."""
    for node in _walk(dimension):
        if node.get("value_name") == value_name:
            return node["value_id"]
    raise SourceFormatError(
        Msg(
            N_("no value named '%(value)s' in dimension %(dimension)s"),
            value=value_name,
            dimension=dimension.get("dimension_id"),
        )
    )


class V2(Client):
    version = "v2"

    def auth_header(self) -> str:
        return self.key

    def metadata(self, table_id: str) -> dict:
        meta = self.get_json(f"/v2/tables/{table_id}/json")
        return meta[0] if isinstance(meta, list) and meta else meta


class ApiSource:
    """One table over a period window, through v3 (default) or v2."""

    def __init__(self, client: Client, table_id: str, *, spec: dict, frequency: str, periods: list[str] | None = None):
        self.client = client
        self.table_id = table_id
        self.spec = spec
        self.period_type = FREQUENCY_TO_PERIOD_TYPE.get(frequency, frequency)
        self.periods = periods

    def fetch(self) -> list[Payload]:
        dimensions = list(self.spec.get("dimensions", {}))
        if isinstance(self.client, V3):
            meta = self.client.metadata(self.table_id)
            selector = ",".join(self.periods) if self.periods else f"latest:{TRAILING_PERIODS}"
            params = self.client.query(
                self.table_id, meta, period_type=self.period_type, periods=selector, dimensions=dimensions
            )
            path, source = f"/v3/data/{self.table_id}", "api_v3"
        else:
            meta = self.client.metadata(self.table_id)
            selector = ",".join(self.periods) if self.periods else f"l({self.period_type}:{TRAILING_PERIODS})"
            params = {"period": selector, "area": "*"}
            for dim in meta.get("Dimensions", []):
                if dim.get("Label") in dimensions or dim.get("Name") in dimensions:
                    params[dim["Name"]] = ",".join(str(v) for v in dim.get("Values", []))
            path, source = f"/v2/data/{self.table_id}/json", "api_v2"
        content = self.client.get(path, params)
        return [
            Payload(
                content=content,
                name=self.client.url(path, params),
                source=source,
                query=self.client.url(path, params),
                table_id=self.table_id,
            )
        ]
