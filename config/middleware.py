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


class RequestSizeMiddleware:
    """A body larger than MAX_REQUEST_BODY is refused (413) from its Content-Length alone, before a byte of it is
    read (Django reads no more than the Content-Length; a body without one is read as empty), so no upload can hold a
    web worker or its memory. Before any middleware that reads the body."""

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
        return self.get_response(request)


class RefuseNulMiddleware:
    """A NUL character in the path, the query string, a form field or a file name is never meant: PostgreSQL
    refuses it in any text, so it would surface as a server error wherever it reaches a query, and no person types
    one. Answer 400 before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query.lower() or "\x00" in query:
            return _nul("Forespørgslen indeholder et NUL-tegn (%00). / The request contains a NUL character.")
        if request.method == "POST" and _form_holds_nul(request):
            return _nul("Et felt i formularen indeholder et NUL-tegn. / A form field contains a NUL character.")
        return self.get_response(request)


def _nul(text: str) -> HttpResponse:
    return HttpResponse(f"400: {text}", status=400, content_type="text/plain; charset=utf-8")


def _form_holds_nul(request) -> bool:
    fields = request.POST  # empty for a body that is not a form (JSON is the API parser's: indicators/parsers.py)
    if any("\x00" in key or any("\x00" in value for value in fields.getlist(key)) for key in fields):
        return True
    return any("\x00" in (upload.name or "") for upload in request.FILES.values())
