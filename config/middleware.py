from django.conf import settings
from django.http import HttpResponse, JsonResponse

# No inline scripts and no inline styles anywhere, so both are limited to our own origin. plotly.js styles what it
# draws through the CSSOM (element.style), which a policy does not govern, and its own stylesheets are static files
# (config/plotly_css.py).
POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
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
        from config import health

        status, body = health.report(strict=request.GET.get("strict") == "1")
        return JsonResponse(body, status=status)


class RefuseNulMiddleware:
    """A NUL character in the path or the query string is never meant: PostgreSQL refuses it in any text, so it
    would surface as a server error wherever a parameter reaches a query. Answer 400 before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query.lower() or "\x00" in query:
            return HttpResponse(
                "400: Forespørgslen indeholder et NUL-tegn (%00). / The request contains a NUL character.",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
