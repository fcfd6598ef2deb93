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


class RequestLimitsMiddleware:
    """What a request may ask of a web worker, checked before a view reads it.

    A body larger than MAX_REQUEST_BODY is refused (413) from its Content-Length alone, before a byte of it is read
    (Django reads no more than the Content-Length; a body without one is read as empty). A form field or a file name
    with a NUL character is refused (400): PostgreSQL takes no NUL in text, so one would surface as a server error
    wherever the field reaches a query, and no person types one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        if length > settings.MAX_REQUEST_BODY:
            megabytes = settings.MAX_REQUEST_BODY / 2**20
            return HttpResponse(
                f"413: Forespørgslen er for stor (højst {megabytes:.0f} MB; en fil må fylde 2 MB). / "
                f"The request is too large (at most {megabytes:.0f} MB; a file may be 2 MB).",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        if request.method == "POST" and _holds_nul(request):
            return HttpResponse(
                "400: Et felt i formularen indeholder et NUL-tegn. / A form field contains a NUL character.",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _holds_nul(request) -> bool:
    fields = request.POST  # empty for a body that is not a form (JSON is the API parser's: indicators/api.py)
    if any("\x00" in key or any("\x00" in value for value in fields.getlist(key)) for key in fields):
        return True
    return any("\x00" in (upload.name or "") for upload in request.FILES.values())
