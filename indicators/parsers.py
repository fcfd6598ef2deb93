"""Request bodies the API reads (settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]). A module of its own: DRF imports
its parsers while its views are being defined, so one beside the API's views would import itself in a circle."""

from __future__ import annotations

import io

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from indicators import formats


class BoundedJSONParser(JSONParser):
    """JSON bodies, refused (400) when nested deeper than any request of ours could be: the parser recurses once per
    level, and 100,000 '[' exhausted the interpreter's stack (a 500) before a view could refuse the method."""

    def parse(self, stream, media_type=None, parser_context=None):
        text = stream.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) if stream is not None else b""
        if len(text) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise ParseError("JSON body too large")
        decoded = text.decode("utf-8", errors="replace")
        if formats.json_depth(decoded) > formats.MAX_JSON_DEPTH:
            raise ParseError(f"JSON nested deeper than {formats.MAX_JSON_DEPTH} levels")
        return super().parse(io.BytesIO(text), media_type, parser_context)
