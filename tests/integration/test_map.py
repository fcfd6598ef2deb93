"""The comparison's map: the figure holds the same municipalities and values as the comparison's rows, links only
where the reader may go, a sentence instead of the map where it cannot be drawn, and `load_boundaries` end to end
(with the real outlines in ../shared/data when they are there)."""

import json
from io import StringIO

import plotly.graph_objects as go
import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from dashboard import maps
from municipalities import boundaries, reference
from municipalities.data import derive
from municipalities.management.commands import load_boundaries
from municipalities.models import Area, Boundary, Municipality
from tests import databases
from tests.conftest import SHARED_DATA
from tests.factories import log_in

pytestmark = pytest.mark.django_db
URL = "/sammenligning/?indikator=MM13"
REAL = SHARED_DATA / "kommuner_98.geojson"


def squares() -> dict:
    """A FeatureCollection with a small square at each municipality's label point, as `kommunekode` files write."""
    features = [
        {
            "type": "Feature",
            "properties": {"kommunekode": code},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [float(lon), float(lat)],
                        [float(lon) + 0.03, float(lat)],
                        [float(lon) + 0.03, float(lat) + 0.02],
                        [float(lon), float(lat)],
                    ]
                ],
            },
        }
        for code, lon, lat in Municipality.objects.values_list("code", "label_lon", "label_lat")
    ]
    return {"type": "FeatureCollection", "features": features}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with databases.for_module(django_db_blocker, databases.demo(("MM13",))):
        yield


@pytest.fixture
def outlines(tmp_path):
    path = tmp_path / "kommuner.geojson"
    path.write_text(json.dumps(squares()), encoding="utf-8")
    out = StringIO()
    call_command("load_boundaries", str(path), "--attribution", "Testkort, 2024", stdout=out)
    assert "98" in out.getvalue()
    return path


def traces(response) -> tuple[dict, dict | None]:
    """The coloured trace and the grey one (municipalities without a value, or left out by the filter)."""
    figure = response.context["map"].figure
    go.Figure(figure)  # valid by plotly's own schema
    by_uid = {trace["uid"]: trace for trace in figure["data"]}
    assert not any(trace["showscale"] for trace in figure["data"])  # plotly's colour bar breaks the CSP: HTML legend
    return by_uid["values"], by_uid.get("grey")


def test_the_map_colours_each_municipality_by_its_value_in_the_comparison(client, demo, outlines):
    log_in(client, "m", "ministry")
    response = client.get(URL)
    result = response.context["result"]
    coloured, grey = traces(response)
    expected = {r.area.municipality_id: float(r.value) for r in result.rows if r.value is not None}
    assert len(expected) == 98 and grey is None
    assert dict(zip(coloured["locations"], coloured["z"], strict=True)) == expected
    assert {f["id"] for f in coloured["geojson"]["features"]} == set(expected)
    assert coloured["colorscale"][0][1] == maps.VIRIDIS[0] and coloured["reversescale"] is True  # higher is better
    # Every municipality opens its page for ministry staff; the hover text is the table's, in Danish.
    data = dict(zip(coloured["locations"], coloured["customdata"], strict=True))
    aarhus = next(r for r in result.rows if r.area.municipality_id == "751")
    assert data["751"] == ["Aarhus", f"{aarhus.value:.1f}".replace(".", ",") + " pct.", "/kommune/751/"]
    assert response.context["map"].attribution == "Testkort, 2024"
    layout = response.context["map"].figure["layout"]
    assert layout["geo"]["visible"] is False  # no base map, no tiles: only the outlines
    lons = [float(lon) for lon in Municipality.objects.values_list("label_lon", flat=True)]
    west, east = layout["geo"]["lonaxis"]["range"]
    assert west < min(lons) and east > max(lons) + 0.03  # Bornholm's square too
    legend = response.context["map"].legend
    low, high = min(expected.values()), max(expected.values())
    assert (legend.scale, legend.low, legend.high) == (
        "viridis-r",
        f"{low:.1f} pct.".replace(".", ",", 1),
        f"{high:.1f} pct.".replace(".", ",", 1),
    )
    assert (coloured["zmin"], coloured["zmax"]) == (low, high)
    assert layout["separators"] == ",."
    best = max(result.rows, key=lambda r: r.value)
    html = response.content.decode()
    assert f"Højest: {best.area.name}" in response.context["map"].summary
    assert 'id="figure-comparison-map"' in html and "Kommunegrænser: Testkort, 2024." in html
    assert "Tabellen ovenfor har de samme tal." in html


def test_the_change_map_is_diverging_around_no_change(client, demo, outlines):
    log_in(client, "m", "ministry")
    response = client.get(URL + "&kort=aendring")
    result = response.context["result"]
    coloured, _grey = traces(response)
    expected = {r.area.municipality_id: float(r.change) for r in result.rows if r.change is not None}
    assert expected and dict(zip(coloured["locations"], coloured["z"], strict=True)) == expected
    widest = max(abs(z) for z in expected.values())
    assert (coloured["zmin"], coloured["zmax"]) == (-widest, widest)  # white is no change
    assert coloured["colorscale"][0][1] == maps.PUOR[0]
    assert response.context["map"].legend.scale == "puor"
    assert response.context["map"].legend.middle == "±0,0 procentpoint"
    assert coloured["reversescale"] is False  # a rise in a share in employment is for the better: purple
    assert "procentpoint" in coloured["customdata"][0][1]
    rise = max(expected, key=expected.get)
    name = next(r.area.name for r in result.rows if r.area.municipality_id == rise)
    assert response.context["map"].summary.startswith(f"Højest: {name} (+")
    html = response.content.decode()
    assert 'name="kort" value="aendring"' in html  # the form keeps the choice


def test_without_figures_a_year_before_the_change_map_is_all_grey_and_says_so(client, demo, outlines):
    log_in(client, "m", "ministry")
    first = client.get(URL).context["result"].periods[-1]  # the earliest period: nothing a year before it
    response = client.get(URL + f"&periode={first}&kort=aendring")
    figure = response.context["map"].figure
    go.Figure(figure)
    assert [(t["uid"], len(t["locations"])) for t in figure["data"]] == [("grey", 98)]
    assert {d[1] for d in figure["data"][0]["customdata"]} == {"intet tal"}
    assert response.context["map"].legend is None
    assert response.context["map"].summary == "Ingen af de viste kommuner har et tal at farve efter."


def test_a_filter_leaves_the_other_municipalities_grey_and_without_value(client, demo, outlines):
    log_in(client, "m", "ministry")
    response = client.get(URL + "&region=1084")
    coloured, grey = traces(response)
    capital = {r.area.municipality_id for r in response.context["result"].rows}
    assert len(capital) == 29 and set(coloured["locations"]) == capital
    assert len(grey["locations"]) == 69 and not capital & set(grey["locations"])
    assert {d[1] for d in grey["customdata"]} == {"ikke blandt de viste områder"} and set(grey["z"]) == {0}


def test_every_reader_can_open_each_municipality_from_the_map(client, demo, outlines):
    # The national figures are public: each outline opens its municipality's page, for a chief and for anonymous.
    jobcentre = Area.objects.filter(kind="jobcentre").annotate(n=Count("memberships")).filter(n__gte=2).first()
    for who in ("anonymous", "chief"):
        if who == "chief":
            log_in(client, "c", "chief", jobcentre=jobcentre)
        coloured, _grey = traces(client.get(URL))
        links = {code: data[2] for code, data in zip(coloured["locations"], coloured["customdata"], strict=True)}
        assert len(links) == 98 and all(link == f"/kommune/{code}/" for code, link in links.items()), who


def test_the_reference_data_holds_the_shipped_outlines_and_the_map_draws_them(client, demo):
    # Issue 21: a clone without ../shared had no map and told the reader to run a command.
    assert reference.BOUNDARIES.stat().st_size <= 1_000_000
    assert Boundary.objects.filter(source=boundaries.DEFAULT_ATTRIBUTION).count() == Boundary.objects.count() == 98
    log_in(client, "m", "ministry")
    response = client.get(URL)
    coloured, _grey = traces(response)
    assert len(coloured["locations"]) + len(_grey["locations"] if _grey else []) == 98
    assert "Geodatastyrelsen" in response.content.decode()  # the credit line the licence asks for


def test_without_boundaries_the_page_says_so_without_a_command_for_the_reader(client, demo):
    Boundary.objects.all().delete()
    log_in(client, "m", "ministry")
    response = client.get(URL)
    html = response.content.decode()
    assert response.context["map"].figure is None
    assert "Kortet kan ikke vises: kommunegrænserne mangler. Tabellen har alle tallene." in html
    assert "manage.py" not in html and "figure-comparison-map" not in html and "js/map.js" not in html


def test_other_levels_say_the_map_is_for_municipalities(client, demo, outlines):
    log_in(client, "m", "ministry")
    response = client.get(URL + "&niveau=jobcentre")
    assert response.context["map"].figure is None
    assert "Kortet viser kun kommuner" in response.content.decode()


def test_load_boundaries_replaces_all_and_refuses_a_bad_file_without_writing(tmp_path, outlines):
    assert Boundary.objects.count() == 98 and set(Boundary.objects.values_list("source", flat=True)) == {
        "Testkort, 2024"
    }
    data = squares()
    data["features"][5]["geometry"]["coordinates"][0][1] = [700000.0, 6200000.0]
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.geojson, features\[5\]\.geometry\.coordinates\[0\]\[1\]"):
        call_command("load_boundaries", str(bad))
    assert Boundary.objects.count() == 98 and Boundary.objects.filter(source="Testkort, 2024").count() == 98
    with pytest.raises(CommandError):
        call_command("load_boundaries", str(tmp_path / "none.geojson"))


def test_load_boundaries_without_a_file_loads_the_shipped_outlines_again(outlines):
    assert Boundary.objects.filter(source="Testkort, 2024").count() == 98
    out = StringIO()
    call_command("load_boundaries", stdout=out)
    assert load_boundaries.DEFAULT_PATH == reference.BOUNDARIES and "98" in out.getvalue()
    assert Boundary.objects.filter(source=boundaries.DEFAULT_ATTRIBUTION).count() == 98


@pytest.mark.skipif(not REAL.exists(), reason="../shared/data/kommuner_98.geojson is not on this machine")
def test_the_shipped_outlines_are_the_research_copy_derived_as_documented(tmp_path):
    derived = tmp_path / "derived.geojson"
    assert derive.derive(REAL, derived) == 98
    assert derived.read_bytes() == reference.BOUNDARIES.read_bytes()


@pytest.mark.skipif(not REAL.exists(), reason="../shared/data/kommuner_98.geojson is not on this machine")
def test_the_real_outlines_load_with_the_islands(english):
    out = StringIO()
    call_command("load_boundaries", str(REAL), stdout=out)
    assert Boundary.objects.count() == 98
    stored = Boundary.objects.get(municipality_id="101")
    assert stored.source == boundaries.DEFAULT_ATTRIBUTION

    def polygons(code: str) -> list:
        geometry = Boundary.objects.get(municipality_id=code).geometry
        return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]

    source = json.loads(REAL.read_text(encoding="utf-8"))
    for code in ("825", "563", "741", "492", "400"):  # Læsø, Fanø, Samsø, Ærø, Bornholm: every island kept
        feature = next(f for f in source["features"] if f["properties"]["kommunekode"] == code)
        parts = feature["geometry"]["coordinates"]
        assert len(polygons(code)) == (len(parts) if feature["geometry"]["type"] == "MultiPolygon" else 1)
    bornholm = [lon for polygon in polygons("400") for lon, _lat in polygon[0]]
    assert min(bornholm) > 14.6 and max(bornholm) > 15.1  # far east: fitbounds must take it in
    assert all(boundaries._area(polygon[0]) < 0 for code in ("825", "400") for polygon in polygons(code))
