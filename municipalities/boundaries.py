"""Municipality outlines for the comparison map: a GeoJSON FeatureCollection read, every feature checked, then all
98 stored in one transaction in place of the ones before (`manage.py load_boundaries`).

Tolerant of the files in use: the code in `kommunekode` ("101"), `kommunekode_4` ("0101") or DAGI's `KOMKODE`
("0101"); Z values (DAGI writes -999) dropped; a municipality split over several features (DAGI: one per island)
merged into one MultiPolygon. Christiansø (0411) is the state's, not a municipality: skipped with a note. Every
problem is collected and named by file and JSON path (`features[3].geometry.coordinates[0][5]`) before anything is
written. Coordinates are rounded to 3 decimals and thinned by Douglas–Peucker within 0.002° (120–220 m, a fifth of
a pixel on the whole-country map at 1366 px; 190 KB of JSON on the page instead of 810 KB); a ring is never dropped,
so Læsø's, Fanø's or Ærø's small islands stay.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import Boundary, Municipality

DEFAULT_ATTRIBUTION = (
    "Indeholder data fra Geodatastyrelsen (nu Styrelsen for Dataforsyning og Infrastruktur), DAGI/FOT 1:500.000, "
    "2014-02-13 – via github.com/Neogeografen/dagi"
)
CODE_PROPERTIES = ("kommunekode", "kommunekode_4", "KOMKODE")
NOT_MUNICIPALITIES = {"411": "Christiansø"}  # administered by the state
# Denmark (with Bornholm and Skagen) in WGS84 degrees: anything else is projected, swapped or somewhere else.
LON_RANGE, LAT_RANGE = (7.0, 16.0), (54.0, 58.0)
DECIMALS = 3
TOLERANCE = 0.002


class BoundaryError(ValueError):
    """The file cannot be loaded; `problems` names each one (file, feature, field)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Parsed:
    geometries: dict[str, dict]  # kommunekode → GeoJSON Polygon or MultiPolygon
    notes: list[str] = field(default_factory=list)


def read(path: Path) -> Parsed:
    """The file's outlines, checked; raises BoundaryError naming every problem."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problem = _("%(file)s: not a readable GeoJSON file (%(error)s)") % {"file": path, "error": exc}
        raise BoundaryError([problem]) from None
    return parse(data, name=str(path))


def parse(data, *, name: str) -> Parsed:
    """Check a decoded FeatureCollection and merge its features per municipality."""
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise BoundaryError(
            [_("%(file)s: type: not a GeoJSON FeatureCollection with a list of features") % {"file": name}]
        )
    known = dict(Municipality.objects.values_list("code", "name"))
    problems: list[str] = []
    notes: list[str] = []
    polygons: dict[str, list[list]] = {}

    def problem(path: str, text: str) -> None:
        problems.append(_("%(file)s, %(field)s: %(problem)s") % {"file": name, "field": path, "problem": text})

    for index, feature in enumerate(data["features"]):
        at = f"features[{index}]"
        if not isinstance(feature, dict):
            problem(at, _("not a GeoJSON Feature"))
            continue
        code = _code(feature.get("properties"), at, problem)
        if code is None:
            continue
        if code in NOT_MUNICIPALITIES:
            note = _("%(file)s, %(field)s: %(name)s (%(code)s) skipped: not a municipality")
            notes.append(note % {"file": name, "field": at, "name": NOT_MUNICIPALITIES[code], "code": code.zfill(4)})
            continue
        if code not in known:
            problem(f"{at}.properties", _("%(code)r is not a known municipality code") % {"code": code})
            continue
        parts = _polygons(feature.get("geometry"), f"{at}.geometry", problem)
        if parts is not None:
            polygons.setdefault(code, []).extend(parts)
    if not problems and len(polygons) < len(known):
        missing = ", ".join(f"{code} {known[code]}" for code in sorted(set(known) - set(polygons), key=int))
        problems.append(
            _("%(file)s: no outline for these municipalities (%(n)d): %(missing)s")
            % {"file": name, "n": len(known) - len(polygons), "missing": missing}
        )
    if problems:
        raise BoundaryError(problems)
    return Parsed({code: _geometry(parts) for code, parts in polygons.items()}, notes)


def store(geometries: dict[str, dict], *, source: str) -> int:
    """Replace every stored outline with these, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        Boundary.objects.all().delete()
        Boundary.objects.bulk_create(
            Boundary(municipality_id=code, geometry=geometry, source=source, loaded_at=now)
            for code, geometry in geometries.items()
        )
    return len(geometries)


def load(path: Path, *, attribution: str = DEFAULT_ATTRIBUTION) -> tuple[int, list[str]]:
    """Read, check and store a file's outlines: (how many stored, notes)."""
    parsed = read(path)
    return store(parsed.geometries, source=attribution), parsed.notes


def _code(properties, at: str, problem) -> str | None:
    """The kommunekode without leading zeros ("0101" → "101"), from whichever code property the file has."""
    if not isinstance(properties, dict):
        problem(
            f"{at}.properties",
            _("missing: a feature needs a municipality code (%(names)s)") % {"names": ", ".join(CODE_PROPERTIES)},
        )
        return None
    found = {}
    for key in CODE_PROPERTIES:
        raw = properties.get(key)
        if raw is None or raw == "":
            continue
        text = str(raw).strip()
        if not (text.isascii() and text.isdigit()) or isinstance(raw, bool):
            problem(f"{at}.properties.{key}", _("%(value)r is not a municipality code") % {"value": raw})
            return None
        found[key] = str(int(text))
    if not found:
        problem(
            f"{at}.properties",
            _("missing: a feature needs a municipality code (%(names)s)") % {"names": ", ".join(CODE_PROPERTIES)},
        )
        return None
    if len(set(found.values())) > 1:
        problem(
            f"{at}.properties",
            _("the codes disagree: %(codes)s") % {"codes": ", ".join(f"{k}={v}" for k, v in found.items())},
        )
        return None
    return next(iter(found.values()))


def _polygons(geometry, at: str, problem) -> list[list] | None:
    """The geometry's polygons (lists of rings of 2-D positions), or None after naming what is wrong."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else geometry
        problem(f"{at}.type", _("%(type)r: only Polygon and MultiPolygon outline a municipality") % {"type": kind})
        return None
    coordinates = geometry.get("coordinates")
    parts = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(parts, list):
        problem(f"{at}.coordinates", _("not a list"))
        return None
    prefix = f"{at}.coordinates" + ("" if geometry["type"] == "Polygon" else "[{p}]")
    polygons = []
    for p, polygon in enumerate(parts):
        where = prefix.format(p=p)
        if not isinstance(polygon, list) or not polygon:
            problem(where, _("a polygon needs at least one ring"))
            return None
        rings = []
        for r, ring in enumerate(polygon):
            checked = _ring(ring, f"{where}[{r}]", problem)
            if checked is None:
                return None  # one problem per feature: a projected file would otherwise give thousands
            rings.append(checked)
        polygons.append(rings)
    if not polygons:
        problem(f"{at}.coordinates", _("empty"))
        return None
    return polygons


def _ring(ring, at: str, problem) -> list[list[float]] | None:
    if not isinstance(ring, list):
        problem(at, _("a ring is a list of positions"))
        return None
    points = []
    for i, position in enumerate(ring):
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])
        ):
            problem(f"{at}[{i}]", _("%(value)r is not a position [longitude, latitude]") % {"value": position})
            return None
        lon, lat = float(position[0]), float(position[1])  # a Z value, if any, is dropped
        if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
            problem(
                f"{at}[{i}]",
                _("%(position)s is not WGS84 longitude/latitude in Denmark (longitude %(lon)s, latitude %(lat)s)")
                % {"position": list(position), "lon": "7–16", "lat": "54–58"},
            )
            return None
        points.append([lon, lat])
    if points and points[0] != points[-1]:
        points.append(points[0])
    if len(points) < 4:
        problem(at, _("a ring needs at least four positions, has %(n)d") % {"n": len(points)})
        return None
    return points


def _geometry(polygons: list[list]) -> dict:
    """One geometry for a municipality's polygons: thinned, rounded, and wound as d3-geo (plotly's geo) expects,
    outer rings clockwise and holes anticlockwise (the opposite of RFC 7946, which plotly does not rewind)."""
    shaped = [[_wind(_thin(ring), clockwise=(r == 0)) for r, ring in enumerate(rings)] for rings in polygons]
    if len(shaped) == 1:
        return {"type": "Polygon", "coordinates": shaped[0]}
    return {"type": "MultiPolygon", "coordinates": shaped}


def _thin(ring: list[list[float]]) -> list[list[float]]:
    """Rounded and simplified, or kept as it was where that would leave no area (a small island)."""
    rounded = []
    for lon, lat in ring:
        point = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    kept = _douglas_peucker(rounded, TOLERANCE)
    for candidate in (kept, rounded):
        if len(candidate) >= 4 and _area(candidate) != 0:
            return candidate
    return ring


def _douglas_peucker(points: list[list[float]], tolerance: float) -> list[list[float]]:
    if len(points) <= 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, worst_at = -1.0, first
        for i in range(first + 1, last):
            x, y = points[i]
            # A closed ring's first and last points are one: then the distance to that point.
            distance = abs(dy * (x - x1) - dx * (y - y1)) / length if length else math.hypot(x - x1, y - y1)
            if distance > worst:
                worst, worst_at = distance, i
        if worst > tolerance:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area(ring: list[list[float]]) -> float:
    """Twice the signed planar area (shoelace): positive when the ring runs anticlockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))


def _wind(ring: list[list[float]], *, clockwise: bool) -> list[list[float]]:
    return ring[::-1] if (_area(ring) > 0) == clockwise else ring
