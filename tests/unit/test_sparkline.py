import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal as D

from goals.sparkline import HEIGHT, PAD, WIDTH, svg

NS = "{http://www.w3.org/2000/svg}"


def _parse(markup: str):
    return ET.fromstring(markup)  # noqa: S314 (the markup is our own, built in the test)


def _points(element) -> list[tuple[float, float]]:
    return [tuple(float(n) for n in pair.split(",")) for pair in element.find(f"{NS}polyline").get("points").split()]


def test_a_trend_line_is_an_accessible_image_without_style_attributes():
    markup = svg([(dt.date(2020, 1, 1), D("26.1")), (dt.date(2021, 12, 1), D("28.2"))], "Fra 26,1 til <28,2>")
    root = _parse(markup)  # well-formed
    assert root.get("role") == "img" and root.get("aria-label") == "Fra 26,1 til <28,2>"
    assert root.find(f"{NS}title").text == "Fra 26,1 til <28,2>"
    assert "style" not in markup and "<28,2>" not in markup  # escaped
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"


def test_points_are_drawn_in_time_order_across_the_width_highest_at_the_top():
    points = [
        (dt.date(2021, 12, 1), 5),
        (dt.date(2020, 1, 1), 3),
        (dt.date(2020, 12, 1), 9),
        (dt.date(2021, 1, 1), None),
    ]
    root = _parse(svg(points, "x"))
    drawn = _points(root)
    assert len(drawn) == 3  # a missing figure is left out
    assert drawn[0][0] == PAD and drawn[-1][0] == WIDTH - PAD
    assert drawn[0][0] < drawn[1][0] < drawn[2][0]
    assert drawn[1][1] == PAD and drawn[0][1] == HEIGHT - PAD  # 9 at the top, 3 at the bottom
    circle = root.find(f"{NS}circle")
    assert (float(circle.get("cx")), float(circle.get("cy"))) == drawn[-1]  # the latest figure is marked


def test_a_flat_series_runs_across_the_middle_and_one_point_draws_nothing():
    drawn = _points(_parse(svg([(dt.date(2020, 1, 1), 4), (dt.date(2020, 2, 1), 4)], "x")))
    assert {y for _, y in drawn} == {HEIGHT / 2}
    assert svg([(dt.date(2020, 1, 1), 4)], "x") == "" and svg([], "x") == ""
