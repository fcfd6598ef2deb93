"""plotly.js's own stylesheets as static files, so that pages need no 'unsafe-inline' for styles.

plotly.min.js writes its library-wide rules (stacked SVG layers, modebar and its tooltips, notifier) into a <style>
element it creates, and a library it bundles (maplibre-gl) does the same; a strict CSP refuses both. The rules are
cut out of the installed plotly.min.js here, so they always match the plotly.js the pages load, and served under
static/plotly/. plotly.js skips each injection when the page already has an element with that style's id (for its
own rules only if it also has the class `no-inline-styles`: plotly.js PR #7109), which is what `links()` renders.

Everything is read from the minified bundle by the shape of its code. A plotly upgrade that changes that shape
makes `extract` raise, which `manage.py check` and tests/unit/test_plotly_css.py report, rather than a page that
quietly loses its chart styling or breaks the policy.
"""

from __future__ import annotations

import atexit
import functools
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PREFIX = "plotly"  # the static prefix plotly.min.js is served under too (STATICFILES_DIRS)

_ID = r"[\w$]+"
# `function sbt(e,t){Kfe("global",e,t)}function Kfe(e,t,r){var i="plotly.js-style-"+e,n=document.getElementById(i);
# if(!(n&&n.matches(".no-inline-styles"))){…`: the id and class that stop plotly.js injecting its rules.
_GUARD = re.compile(
    rf'function {_ID}\({_ID},{_ID}\){{{_ID}\("(?P<scope>[\w-]+)",{_ID},{_ID}\)}}'
    rf'function {_ID}\({_ID},{_ID},{_ID}\){{var {_ID}="(?P<prefix>[\w.-]+)"\+{_ID},'
    rf"{_ID}=document\.getElementById\({_ID}\);"
    rf'if\(!\({_ID}&&{_ID}\.matches\("\.(?P<css_class>[\w-]+)"\)\)\)'
)
# `for(bV in I0e)R0e=bV.replace(/^,/," ,").replace(/X/g,".js-plotly-plot .plotly").replace(/Y/g,".plotly-notifier"),
# swt.addStyleRule(R0e,I0e[bV])`: the loop that adds each rule of the object `I0e`.
_RULES_LOOP = re.compile(
    rf"for\((?P<key>{_ID}) in (?P<rules>{_ID})\)(?P<selector>{_ID})=(?P=key)"
    r'\.replace\(/\^,/," ,"\)\.replace\(/X/g,"(?P<x>[^"]*)"\)\.replace\(/Y/g,"(?P<y>[^"]*)"\),'
    rf"{_ID}\.addStyleRule\((?P=selector),(?P=rules)\[(?P=key)\]\)"
)
_STRING = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''
_RULE = re.compile(rf"(?P<selector>{_STRING}|{_ID}):(?P<declarations>{_STRING})[,}}]", re.S)
# `if(!document.getElementById("9f21…")){var e=document.createElement("style");e.id="9f21…",e.textContent='…',
# document.head.appendChild(e)}`: a bundled library's stylesheet (maplibre-gl), injected when plotly.js loads.
_INJECTED = re.compile(
    rf'if\(!document\.getElementById\("(?P<id>[^"]+)"\)\){{var (?P<var>{_ID})=document\.createElement\("style"\);'
    rf'(?P=var)\.id="(?P=id)",(?P=var)\.textContent=(?P<css>{_STRING}),document\.head\.appendChild\((?P=var)\)}}',
    re.S,
)
_STYLE_ELEMENT = 'createElement("style")'
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


class PlotlyCSSError(Exception):
    """plotly.min.js no longer has the shape this module reads its stylesheets from."""


@dataclass(frozen=True)
class Stylesheet:
    name: str  # under static/plotly/
    element_id: str
    css_class: str
    css: str

    @property
    def class_attribute(self) -> SafeString | str:
        return format_html(' class="{}"', self.css_class) if self.css_class else ""


def _js_string(literal: str) -> str:
    def unescape(match: re.Match) -> str:
        escape = match.group(1)
        if escape[0] in "ux" and len(escape) > 1:
            return chr(int(escape[1:].strip("{}"), 16))
        return _SIMPLE_ESCAPES.get(escape, escape)

    return _ESCAPE.sub(unescape, literal[1:-1])


def _object_literal(source: str, start: int) -> str:
    """The text of the JavaScript object literal whose `{` is at `start`, strings taken into account."""
    depth, quote, i = 0, None, start
    while i < len(source):
        char = source[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return source[start : i + 1]
        i += 1
    raise PlotlyCSSError("plotly.min.js: the style rules' object literal never closes")


def _global_rules(source: str, version: str) -> Stylesheet:
    guard = _GUARD.search(source)
    loop = _RULES_LOOP.search(source)
    if not guard or not loop:
        raise PlotlyCSSError(
            "plotly.min.js: cannot find how plotly.js adds its style rules "
            f"({'the rule loop' if guard else 'the no-inline-styles check'} is missing)"
        )
    rules_at = [m.end() - 1 for m in re.finditer(rf"(?<![\w$]){re.escape(loop['rules'])}=\{{", source[: loop.start()])]
    if not rules_at:
        raise PlotlyCSSError(f"plotly.min.js: cannot find the style rules' object {loop['rules']}")
    rules = []
    for rule in _RULE.finditer(_object_literal(source, rules_at[-1])[1:]):
        key = rule["selector"]
        selector = _js_string(key) if key[0] in "\"'" else key
        selector = re.sub(r"^,", " ,", selector).replace("X", loop["x"]).replace("Y", loop["y"])
        rules.append(f"{selector}{{{_js_string(rule['declarations'])}}}")
    if not rules:
        raise PlotlyCSSError("plotly.min.js: the style rules' object is empty")
    # addStyleRule inserts every rule at index 0, so the injected sheet holds them in reverse order; keep that
    # order, since rules of equal specificity (`[data-title]:before`) are decided by it.
    css = "\n".join(reversed(rules))
    return Stylesheet("plotly.css", guard["prefix"] + guard["scope"], guard["css_class"], _header(version) + css + "\n")


def _header(version: str) -> str:
    return f"/* Cut from plotly.js {version} (plotly.min.js) by config/plotly_css.py: do not edit. */\n"


def extract(source: str) -> list[Stylesheet]:
    """Every stylesheet plotly.min.js would inject into a page, with the id that stops it doing so."""
    version = re.search(r"plotly\.js (v[\w.-]+)", source[:500])
    version = version.group(1) if version else "(unknown version)"
    sheets = [_global_rules(source, version)]
    for block in _INJECTED.finditer(source):
        css = _header(version) + _js_string(block["css"]) + "\n"
        sheets.append(Stylesheet(f"bundled-{block['id'][:12]}.css", block["id"], "", css))
    # One <style> element is plotly.js's own (the global rules); any other must be a block read above, or the
    # page would meet a style that nothing here provides.
    if source.count(_STYLE_ELEMENT) != len(sheets):
        raise PlotlyCSSError(
            f"plotly.min.js creates {source.count(_STYLE_ELEMENT)} <style> elements; "
            f"config/plotly_css.py knows {len(sheets)}"
        )
    return sheets


@functools.cache
def stylesheets() -> list[Stylesheet]:
    return extract(PLOTLY_JS.read_text(encoding="utf-8"))


def links() -> SafeString:
    """The <link> elements for a page that loads plotly.min.js; they must come before its <script>."""
    return format_html_join(
        "\n",
        '<link rel="stylesheet" href="{}" id="{}"{}>',
        ((static(f"{PREFIX}/{sheet.name}"), sheet.element_id, sheet.class_attribute) for sheet in stylesheets()),
    )


class PlotlyCSSFinder(BaseFinder):
    """Finds the stylesheets under static/plotly/ for collectstatic and for serving from the finders, written on
    first use to a directory of this process's own, so that they can never be out of date."""

    @functools.cached_property
    def storage(self) -> FileSystemStorage:
        directory = Path(tempfile.mkdtemp(prefix="jobmaal-plotly-css-"))
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        for sheet in stylesheets():
            (directory / sheet.name).write_text(sheet.css, encoding="utf-8")
        storage = FileSystemStorage(location=directory)
        storage.prefix = PREFIX
        return storage

    def check(self, **kwargs) -> list[Error]:
        try:
            stylesheets()
        except (OSError, PlotlyCSSError) as exc:
            return [Error(f"plotly.js's stylesheets cannot be provided: {exc}", id="jobmaal.E001")]
        return []

    def find(self, path: str, find_all: bool = False, **kwargs):
        find_all = self._check_deprecated_find_param(find_all=find_all, **kwargs)
        name = path.removeprefix(f"{PREFIX}/")
        found = None
        if name != path and name in {sheet.name for sheet in stylesheets()}:
            found = self.storage.path(name)
        if find_all:
            return [found] if found else []
        return found

    def list(self, ignore_patterns):
        for sheet in stylesheets():
            yield sheet.name, self.storage
