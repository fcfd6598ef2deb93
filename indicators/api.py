"""The analysts' read-only JSON API, mounted at /api/v1/ (see indicators/api_urls.py).

    GET /api/v1/indicators/            the indicator catalogue, with the goals each indicator measures
    GET /api/v1/indicators/<code>/     one indicator
    GET /api/v1/areas/                 areas (?kind=municipality; several kinds allowed)
    GET /api/v1/observations/          figures, filtered by indicator, area, area_kind, period, measure, breakdown
    GET /api/v1/schema/                the OpenAPI 3 schema (JSON; ?format=yaml for YAML)

Every endpoint needs a logged-in session or a token. A token is created for a user in the admin
("Auth Token" → "Tokens", from rest_framework.authtoken) or on the command line with
`manage.py drf_create_token USERNAME` (add `-r` to replace an existing one), and is sent as
`Authorization: Token <key>`.

A municipality's own (local) indicators and their observations are working material: they are there only for
users who may see that municipality (indicators/visibility.py). To anyone else such an indicator does not exist:
its detail is a 404 and `?indicator=` names it as unknown, like a code that was never defined.

Filters take several values, repeated (`?indicator=MM10&indicator=MM13`) or comma-separated
(`?indicator=MM10,MM13`); `breakdown` only repeated, as breakdown labels may hold commas, and an empty
`?breakdown=` asks for totals. An unknown indicator or area code is a 400 naming it rather than an empty page.

Demo data must never pass for real figures: every observation carries `is_demo`, and a page holding any demo
observation also carries `"demo": true` and a `"notice"` at the top.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from indicators import visibility
from indicators.models import FIGURE_FIELDS, Indicator, Observation
from municipalities import access
from municipalities.models import Area

DEMO_NOTICE = "Demo data: generated figures, not real Jobindsats figures."


def query_values(request, name: str, *, split: bool = True) -> list[str]:
    """All values of a query parameter, repeated and (if `split`) comma-separated, stripped, de-duplicated."""
    raw = request.query_params.getlist(name)
    if not split:
        return list(dict.fromkeys(raw))
    return list(dict.fromkeys(part.strip() for value in raw for part in value.split(",") if part.strip()))


def require_known(name: str, asked: list[str], known: set[str], what: str) -> None:
    unknown = [value for value in asked if value not in known]
    if unknown:
        raise ValidationError({name: [f"Unknown {what}: {', '.join(unknown)}"]})


class Pagination(PageNumberPagination):
    """Page size 500 (settings.REST_FRAMEWORK["PAGE_SIZE"]); `?page_size=` up to 5000."""

    page_size_query_param = "page_size"
    max_page_size = 5000


class ObservationPagination(Pagination):
    """Adds `demo` (whether any observation on the page is demo data) and, when it is, a `notice`."""

    def get_paginated_response(self, data):
        demo = any(observation.is_demo for observation in self.page)
        body = {
            "count": self.page.paginator.count,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "demo": demo,
        }
        if demo:
            body["notice"] = DEMO_NOTICE
        body["results"] = data
        return Response(body)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        results = properties.pop("results")
        properties["demo"] = {"type": "boolean", "description": "Whether any observation on this page is demo data."}
        properties["notice"] = {"type": "string", "example": DEMO_NOTICE, "description": "Only when `demo` is true."}
        properties["results"] = results
        response["required"] = [*response.get("required", []), "demo"]
        return response


# Serializers


class IndicatorSerializer(serializers.ModelSerializer):
    goals = serializers.SerializerMethodField(help_text="Goals the indicator measures, as 'year.number'.")
    municipality = serializers.CharField(
        source="municipality_id", allow_null=True, help_text="Kommunekode, for local indicators only."
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_da",
            "name_en",
            "unit",
            "polarity",
            "frequency",
            "area_level",
            "source_table",
            "is_proxy",
            "scope",
            "municipality",
            "goals",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "string", "example": "2020.1"}})
    def get_goals(self, indicator: Indicator) -> list[str]:
        goals = sorted({(link.goal.goal_set.year, link.goal.number) for link in indicator.goal_links.all()})
        return [f"{year}.{number}" for year, number in goals]


class AreaSerializer(serializers.ModelSerializer):
    kommunekode = serializers.CharField(
        source="municipality_id", allow_null=True, help_text="For municipalities only (it is also their code)."
    )

    class Meta:
        model = Area
        fields = ["kind", "code", "name", "valid_from", "valid_to", "kommunekode"]


class AreaRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["kind", "code", "name"]


class ProvenanceSerializer(serializers.ModelSerializer):
    import_run = serializers.IntegerField(source="import_run_id", allow_null=True, help_text="ImportRun id")

    class Meta:
        model = Observation
        fields = ["source", "query", "retrieved_at", "import_run"]


class ObservationSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    area = AreaRefSerializer()
    provenance = ProvenanceSerializer(source="*")

    class Meta:
        model = Observation
        fields = ["indicator", "area", *FIGURE_FIELDS, "is_demo", "is_derived", "provenance"]


# Views


@access.rule("view_indicator")
class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IndicatorSerializer
    pagination_class = Pagination
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Indicator]:
        # Another municipality's own indicator is a 404, as if it did not exist.
        indicators = Indicator.objects.filter(visibility.indicator_filter(self.request.user))
        # By relation name, so the goals app stays out of this module's imports.
        return indicators.prefetch_related("goal_links__goal__goal_set")


MULTI = "Several values: repeat the parameter or separate with commas."


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("kind", OpenApiTypes.STR, enum=Area.Kind.values, description=MULTI)]
    )
)
@access.rule("logged_in")
class AreaViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AreaSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Area]:
        # A user's own custom group is theirs alone: the API lists the shared areas only.
        areas = Area.objects.filter(owner__isnull=True).order_by("kind", "code")
        if kinds := query_values(self.request, "kind"):
            require_known("kind", kinds, set(Area.Kind.values), "area kind")
            areas = areas.filter(kind__in=kinds)
        return areas


@extend_schema_view(
    list=extend_schema(
        description=(
            "Observations, 500 a page (`page_size` up to 5000), in a stable order. A page with any demo "
            "observation carries `demo: true` and a `notice`."
        ),
        parameters=[
            OpenApiParameter("indicator", OpenApiTypes.STR, description=f"Indicator code, e.g. MM10. {MULTI}"),
            OpenApiParameter(
                "area",
                OpenApiTypes.STR,
                description=f"Area code: kommunekode, jobcentre slug, 'dk' for the country. {MULTI}",
            ),
            OpenApiParameter(
                "area_kind",
                OpenApiTypes.STR,
                enum=Area.Kind.values,
                description=f"Area kind, to tell apart groupings that share a code. {MULTI}",
            ),
            OpenApiParameter("period", OpenApiTypes.STR, description=f"Raw period code, e.g. 2020M01. {MULTI}"),
            OpenApiParameter("measure", OpenApiTypes.STR, description=MULTI),
            OpenApiParameter(
                "breakdown",
                OpenApiTypes.STR,
                description="Breakdown, e.g. 'samarbejde=Alle jobcentre'; empty for totals. Repeat for several.",
            ),
        ],
    )
)
@access.rule("logged_in")
class ObservationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ObservationSerializer
    pagination_class = ObservationPagination

    def get_queryset(self) -> QuerySet[Observation]:
        request = self.request
        # The unique key's order: stable across pages and served by its index.
        observations = (
            Observation.objects.filter(visibility.observation_filter(request.user))
            .select_related("indicator", "area")
            .order_by("indicator_id", "area_id", "period", "breakdown", "measure")
        )
        if codes := query_values(request, "indicator"):
            # An indicator the user may not see is unknown to them, like one that does not exist.
            visible = Indicator.objects.filter(visibility.indicator_filter(request.user), code__in=codes)
            known = set(visible.values_list("code", flat=True))
            require_known("indicator", codes, known, "indicator code")
            observations = observations.filter(indicator__code__in=codes)
        if kinds := query_values(request, "area_kind"):
            require_known("area_kind", kinds, set(Area.Kind.values), "area kind")
            observations = observations.filter(area__kind__in=kinds)
        if codes := query_values(request, "area"):
            # By id: served by the area's index (observation_area_series), with no join to filter on.
            areas = dict(Area.objects.filter(code__in=codes).values_list("pk", "code"))
            require_known("area", codes, set(areas.values()), "area code")
            observations = observations.for_areas(list(areas))
        if periods := query_values(request, "period"):
            observations = observations.filter(period__in=periods)
        if measures := query_values(request, "measure"):
            observations = observations.filter(measure__in=measures)
        if breakdowns := query_values(request, "breakdown", split=False):
            observations = observations.filter(breakdown__in=breakdowns)
        return observations
