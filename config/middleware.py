from django.conf import settings
from django.db import connection
from django.http import HttpResponse

# No inline scripts anywhere, so scripts are limited to our own origin. Plotly sets style attributes
# on the SVG it draws, hence 'unsafe-inline' for styles only.
POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(f"/{settings.STATIC_URL.strip('/')}/"):
            response.headers.setdefault("Content-Security-Policy", POLICY)
        return response


class HealthCheckMiddleware:
    """Answers /healthz for container health checks before host validation and HTTPS redirects, which a
    probe on 127.0.0.1 inside the container would otherwise fail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz":
            return self.get_response(request)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return HttpResponse("ok", content_type="text/plain")
