"""The site's few pages that belong to no app."""

from pathlib import Path

from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from municipalities import access

FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.svg"


@access.rule("public")
def favicon(request):
    """/favicon.ico, which browsers ask for on pages that name no icon (the admin, the API): the same SVG icon."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/svg+xml")
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response
