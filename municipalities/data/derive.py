"""How kommuner_98.geojson here was made from the research copy beside the checkout:

    .venv/bin/python -m municipalities.data.derive \\
        ../shared/data/kommuner_98.geojson municipalities/data/kommuner_98.geojson

The outlines checked, merged per municipality, rounded and thinned exactly as `load_boundaries` stores them
(municipalities/boundaries.py), then written with the kommunekode and the name of each of the 98: a file the app
ships and loads without ../shared. Source and licence: README.md beside this file."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def derive(source: Path, target: Path) -> int:
    from municipalities import boundaries
    from municipalities.models import Municipality

    parsed = boundaries.read(source)
    names = dict(Municipality.objects.values_list("code", "name"))
    features = [
        {"type": "Feature", "properties": {"kommunekode": code, "navn": names.get(code, "")}, "geometry": geometry}
        for code, geometry in sorted(parsed.geometries.items(), key=lambda item: int(item[0]))
    ]
    collection = {"type": "FeatureCollection", "name": "kommuner_98", "features": features}
    target.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return len(features)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print(derive(Path(sys.argv[1]), Path(sys.argv[2])), "municipalities written")
