from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

# A fixed template rendered through the same middleware (sessions, auth, CSRF, CSP): the floor a page can reach.
MINIMAL = engines["django"].from_string('<!DOCTYPE html><html lang="da"><title>{{ title }}</title><p>{{ text }}</p>')


def minimal(request):
    return HttpResponse(MINIMAL.render({"title": "Jobmål", "text": "Minimal"}, request))


urlpatterns = [path("bench/minimal/", minimal), path("", include("config.urls"))]
