"""/api/v1/: the analysts' read-only JSON API (indicators/api.py) and its OpenAPI schema."""

from django.urls import include, path
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from indicators import api

router = SimpleRouter()
router.register("indicators", api.IndicatorViewSet, basename="api-indicator")
router.register("areas", api.AreaViewSet, basename="api-area")
router.register("observations", api.ObservationViewSet, basename="api-observation")

urlpatterns = [
    path("", include(router.urls)),
    # JSON by default, ?format=yaml for YAML. No Swagger UI: it would load its scripts from a CDN.
    path(
        "schema/",
        SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer, OpenApiYamlRenderer]),
        name="api-schema",
    ),
]
