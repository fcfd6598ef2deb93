from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from config import plotly_css

# The shapes config/plotly_css.py reads, as plotly.js's build minifies them, around made-up rules.
BUNDLE = (
    "/**\n* plotly.js v9.8.7\n*/"
    'function sbt(e,t){Kfe("global",e,t)}function Kfe(e,t,r){var i="plotly.js-style-"+e,'
    'n=document.getElementById(i);if(!(n&&n.matches(".no-inline-styles"))){n||(n=document.createElement("style"))}}'
    'var I0e={"X,X div":\'font-family:"Open Sans";\',"X .a:after":"content:\\"\\u00e6\\";",'
    'Y:"position:fixed;","Y p":"margin:0;"};'
    'for(bV in I0e)R0e=bV.replace(/^,/," ,").replace(/X/g,".js-plotly-plot .plotly").replace(/Y/g,".plotly-notifier"),'
    "swt.addStyleRule(R0e,I0e[bV]);"
    'if(!document.getElementById("9f215cf04c54abcd")){var e=document.createElement("style");e.id="9f215cf04c54abcd",'
    "e.textContent='.maplibregl-map{font:12px/20px Helvetica}',document.head.appendChild(e)}"
)


def test_extract_reads_the_rules_in_the_order_plotly_inserts_them():
    sheet = plotly_css.extract(BUNDLE)[0]

    assert (sheet.element_id, sheet.css_class) == ("plotly.js-style-global", "no-inline-styles")
    # addStyleRule inserts each rule at the top of its sheet: the last rule of the object comes first.
    assert sheet.css.splitlines() == [
        "/* Cut from plotly.js v9.8.7 (plotly.min.js) by config/plotly_css.py: do not edit. */",
        ".plotly-notifier p{margin:0;}",
        ".plotly-notifier{position:fixed;}",
        '.js-plotly-plot .plotly .a:after{content:"æ";}',
        '.js-plotly-plot .plotly,.js-plotly-plot .plotly div{font-family:"Open Sans";}',
    ]


def test_extract_reads_a_bundled_library_stylesheet_with_its_id():
    sheet = plotly_css.extract(BUNDLE)[1]

    assert (sheet.name, sheet.element_id, sheet.css_class) == ("bundled-9f215cf04c54.css", "9f215cf04c54abcd", "")
    assert sheet.css.endswith("\n.maplibregl-map{font:12px/20px Helvetica}\n")


def test_extract_refuses_a_bundle_that_makes_a_style_element_it_cannot_read():
    bundle = BUNDLE + 'var s=document.createElement("style");s.textContent=x;'

    with pytest.raises(plotly_css.PlotlyCSSError, match="creates 3 <style> elements"):
        plotly_css.extract(bundle)


def test_extract_refuses_a_bundle_without_the_no_inline_styles_check():
    with pytest.raises(plotly_css.PlotlyCSSError, match="no-inline-styles check"):
        plotly_css.extract(BUNDLE.replace('n.matches(".no-inline-styles")', "false"))


def test_installed_plotly_js_yields_its_rules_and_the_ids_that_stop_its_injection():
    source = plotly_css.PLOTLY_JS.read_text(encoding="utf-8")
    own, *bundled = plotly_css.stylesheets()

    assert (own.name, own.element_id, own.css_class) == ("plotly.css", "plotly.js-style-global", "no-inline-styles")
    assert ".js-plotly-plot .plotly .main-svg{position:absolute;" in own.css
    assert ".js-plotly-plot .plotly .modebar{" in own.css
    assert source[: source.index("*/")].split()[2] in own.css.splitlines()[0]  # "plotly.js v4.1.1"
    assert bundled, "plotly.js bundles maplibre-gl, whose stylesheet it injects on load"
    for sheet in bundled:
        assert f'document.getElementById("{sheet.element_id}")' in source


def test_finder_serves_the_stylesheets_beside_plotly_min_js():
    own = plotly_css.stylesheets()[0]

    assert Path(finders.find("plotly/plotly.css")).read_text(encoding="utf-8") == own.css
    assert finders.find("plotly/plotly.min.js") == str(plotly_css.PLOTLY_JS)
    finder = plotly_css.PlotlyCSSFinder()
    assert finder.find("plotly/unknown.css") is None
    assert finder.find("css/plotly.css") is None
    assert finder.find("plotly/plotly.css", find_all=True) == [finder.storage.path("plotly.css")]
    assert [name for name, _ in finder.list(None)] == [sheet.name for sheet in plotly_css.stylesheets()]


def test_links_give_each_stylesheet_the_id_that_stops_plotly_injecting_it():
    html = str(plotly_css.links())

    own = (
        '<link rel="stylesheet" href="/static/plotly/plotly.css" id="plotly.js-style-global" class="no-inline-styles">'
    )
    assert own in html
    for sheet in plotly_css.stylesheets()[1:]:
        assert f'href="/static/plotly/{sheet.name}" id="{sheet.element_id}">' in html


def test_check_reports_a_plotly_js_that_cannot_be_read(monkeypatch):
    assert plotly_css.PlotlyCSSFinder().check() == []

    def unreadable():
        raise plotly_css.PlotlyCSSError("plotly.min.js: cannot find how plotly.js adds its style rules")

    monkeypatch.setattr(plotly_css, "stylesheets", unreadable)
    [error] = plotly_css.PlotlyCSSFinder().check()
    assert error.id == "jobmaal.E001" and "cannot find how plotly.js adds its style rules" in error.msg
