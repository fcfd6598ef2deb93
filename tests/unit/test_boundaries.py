"""Reading municipality outlines (municipalities/boundaries.py) from small GeoJSON files written here: what is
accepted, what is refused, and that every refusal names the file, the feature and the field."""

import json

import pytest

from municipalities import boundaries
from municipalities.models import Boundary, Municipality

pytestmark = pytest.mark.django_db


def square(lon: float, lat: float, size: float = 0.02, z: float | None = None) -> list[list[float]]:
    """A closed ring, anticlockwise as RFC 7946 writes outer rings."""
    corners = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return [c + [z] for c in corners] if z is not None else corners


def collection(**replace) -> dict:
    """One square feature per municipality at its label point; `replace` maps a code to a list of features."""
    features = []
    for code, lon, lat in Municipality.objects.values_list("code", "label_lon", "label_lat"):
        if code in replace:
            features += replace[code]
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"kommunekode": code, "kommunekode_4": code.zfill(4)},
                "geometry": {"type": "Polygon", "coordinates": [square(float(lon), float(lat))]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def write(tmp_path, data, name: str = "kommuner.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def problems(tmp_path, data) -> list[str]:
    path = write(tmp_path, data)
    with pytest.raises(boundaries.BoundaryError) as raised:
        boundaries.read(path)
    return raised.value.problems


def index_of(data: dict, code: str) -> int:
    return next(i for i, f in enumerate(data["features"]) if f["properties"].get("kommunekode") == code)


def test_a_file_with_every_municipality_gives_one_outline_each_wound_for_d3(tmp_path, english):
    parsed = boundaries.read(write(tmp_path, collection()))
    assert len(parsed.geometries) == 98 == Municipality.objects.count()
    ring = parsed.geometries["101"]["coordinates"][0]
    assert parsed.geometries["101"]["type"] == "Polygon" and len(ring) == 5
    assert boundaries._area(ring) < 0  # outer ring clockwise, as plotly's d3-geo draws it (not RFC 7946's order)
    lon, lat = Municipality.objects.filter(code="101").values_list("label_lon", "label_lat").get()
    assert ring[0] == [round(float(lon), 3), round(float(lat), 3)]
    assert parsed.notes == []


def test_z_values_are_dropped(tmp_path, english):
    geometry = {"type": "Polygon", "coordinates": [square(11.0, 57.25, z=-999.0)]}
    data = collection(**{"825": [{"type": "Feature", "properties": {"KOMKODE": "0825"}, "geometry": geometry}]})
    ring = boundaries.read(write(tmp_path, data)).geometries["825"]["coordinates"][0]
    assert {len(position) for position in ring} == {2}
    assert sorted(ring)[0] == [11.0, 57.25]


def test_several_features_of_one_municipality_are_merged_and_small_islands_kept(tmp_path, english):
    # Læsø as DAGI writes it: one feature per island, here a main island and an islet far below the thinning's
    # tolerance and the rounding (0.0004° ≈ 40 m): it must survive with its area.
    main = {"type": "Polygon", "coordinates": [square(11.0, 57.25, 0.1)]}
    islet = {"type": "MultiPolygon", "coordinates": [[square(11.2, 57.2, 0.0004, z=-999.0)]]}
    data = collection(
        **{"825": [{"type": "Feature", "properties": {"KOMKODE": "0825"}, "geometry": g} for g in (main, islet)]}
    )
    geometry = boundaries.read(write(tmp_path, data)).geometries["825"]
    assert geometry["type"] == "MultiPolygon" and len(geometry["coordinates"]) == 2
    kept = geometry["coordinates"][1][0]
    assert len(kept) == 5 and boundaries._area(kept) < 0
    assert min(kept) == [11.2, 57.2] and max(kept) == [11.2004, 57.2004]


def test_a_long_straight_edge_is_thinned_but_the_corners_stay(tmp_path, english):
    edge = [[11.0 + i / 1000, 57.25] for i in range(100)]  # 100 points on one line
    ring = [*edge, [11.1, 57.25], [11.1, 57.35], [11.0, 57.35], [11.0, 57.25]]
    data = collection(
        **{
            "825": [
                {
                    "type": "Feature",
                    "properties": {"kommunekode": "825"},
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            ]
        }
    )
    thinned = boundaries.read(write(tmp_path, data)).geometries["825"]["coordinates"][0]
    assert sorted(map(tuple, thinned[:-1])) == [(11.0, 57.25), (11.0, 57.35), (11.1, 57.25), (11.1, 57.35)]


def test_christianso_is_skipped_with_a_note(tmp_path, english):
    data = collection()
    geometry = {"type": "Polygon", "coordinates": [square(15.18, 55.32, 0.01)]}
    christianso = {"type": "Feature", "properties": {"KOMKODE": "0411", "KOMNAVN": "Christiansø"}, "geometry": geometry}
    data["features"].insert(3, christianso)
    parsed = boundaries.read(write(tmp_path, data))
    assert "411" not in parsed.geometries and len(parsed.geometries) == 98
    assert parsed.notes == [
        f"{tmp_path / 'kommuner.geojson'}, features[3]: Christiansø (0411) skipped: not a municipality"
    ]


def test_projected_coordinates_are_refused_naming_file_feature_and_position(tmp_path, english):
    data = collection()
    at = index_of(data, "751")
    utm = [[575000.0, 6223000.0], [576000.0, 6223000.0], [576000.0, 6224000.0], [575000.0, 6223000.0]]
    data["features"][at]["geometry"] = {"type": "MultiPolygon", "coordinates": [[utm]]}
    assert problems(tmp_path, data) == [
        f"{tmp_path / 'kommuner.geojson'}, features[{at}].geometry.coordinates[0][0][0]: [575000.0, 6223000.0] is not "
        "WGS84 longitude/latitude in Denmark (longitude 7–16, latitude 54–58)"
    ]


def test_swapped_latitude_and_longitude_are_refused(tmp_path, english):
    data = collection()
    at = index_of(data, "101")
    ring = [[lat, lon] for lon, lat in data["features"][at]["geometry"]["coordinates"][0]]
    data["features"][at]["geometry"]["coordinates"] = [ring]
    [problem] = problems(tmp_path, data)
    assert f"features[{at}].geometry.coordinates[0][0]:" in problem and "not WGS84 longitude/latitude" in problem


def test_every_problem_is_named_before_anything_is_written(tmp_path, english):
    boundaries.store({"101": {"type": "Polygon", "coordinates": [square(12.5, 55.6)]}}, source="before")
    data = collection()
    first, second, third = index_of(data, "101"), index_of(data, "147"), index_of(data, "151")
    data["features"][first]["properties"] = {"navn": "København"}
    data["features"][second]["geometry"] = {"type": "Point", "coordinates": [12.5, 55.7]}
    data["features"][third]["properties"] = {"kommunekode": "999"}
    data["features"].append(
        {"type": "Feature", "properties": {"kommunekode": "101", "kommunekode_4": "0102"}, "geometry": None}
    )
    file = tmp_path / "kommuner.geojson"
    assert problems(tmp_path, data) == [
        f"{file}, features[{first}].properties: missing: a feature needs a municipality code "
        "(kommunekode, kommunekode_4, KOMKODE)",
        f"{file}, features[{second}].geometry.type: 'Point': only Polygon and MultiPolygon outline a municipality",
        f"{file}, features[{third}].properties: '999' is not a known municipality code",
        f"{file}, features[98].properties: the codes disagree: kommunekode=101, kommunekode_4=102",
    ]
    assert list(Boundary.objects.values_list("municipality_id", "source")) == [("101", "before")]


def test_missing_municipalities_are_listed(tmp_path, english):
    data = collection()
    data["features"] = [f for f in data["features"] if f["properties"]["kommunekode"] not in ("825", "563")]
    assert problems(tmp_path, data) == [
        f"{tmp_path / 'kommuner.geojson'}: no outline for these municipalities (2): 563 Fanø, 825 Læsø"
    ]


def test_a_file_that_is_not_geojson_is_refused_by_name(tmp_path, english):
    path = tmp_path / "kort.geojson"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(boundaries.BoundaryError, match=r"kort\.geojson: not a readable GeoJSON file"):
        boundaries.read(path)
    assert problems(tmp_path, {"type": "Feature"}) == [
        f"{tmp_path / 'kommuner.geojson'}: type: not a GeoJSON FeatureCollection with a list of features"
    ]
