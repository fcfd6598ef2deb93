import pytest

from tests.factories import API_KEY


@pytest.fixture
def api(settings, httpserver):
    """A real local HTTP server standing in for the Jobindsats API, with the key settings point at it."""
    settings.JOBINDSATS_API_KEY = API_KEY
    settings.JOBINDSATS_BASE_URL = httpserver.url_for("/")
    return httpserver
