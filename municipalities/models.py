from __future__ import annotations

import datetime as dt
import unicodedata

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def normalise_name(name: str) -> str:
    """Key for matching area names across sources: case, spacing, dashes and a 'Kommune' suffix ignored."""
    text = unicodedata.normalize("NFC", name).casefold().strip()
    for suffix in (" kommune", " kommunes"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return " ".join(text.replace("-", " ").split())


def danish_sort_key(name: str) -> str:
    """Danish alphabetical order: æ, ø, å after z, and a word-initial 'Aa' sorted as 'å' (Aalborg after Vejle)."""
    text = " ".join("å" + word[2:] if word.startswith("aa") else word for word in name.casefold().split(" "))
    return text.translate(str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"}))


class MunicipalityQuerySet(models.QuerySet):
    def name_index(self) -> dict[str, str]:
        """Every known spelling (official name, aliases, the code itself), normalised, → kommunekode."""
        index = {}
        for code, name in self.values_list("code", "name"):
            index[normalise_name(name)] = code
            index[code] = code
        for alias, code in MunicipalityAlias.objects.values_list("name", "municipality_id"):
            index.setdefault(normalise_name(alias), code)
        return index

    def resolve(self, name_or_code: str) -> Municipality:
        """The municipality a source means by a name, alias or code; DoesNotExist names what was asked for."""
        code = self.name_index().get(normalise_name(str(name_or_code)))
        if code is None:
            raise Municipality.DoesNotExist(f"No municipality is known by the name or code {name_or_code!r}")
        return self.get(code=code)


class Municipality(models.Model):
    code = models.CharField(
        _("municipality code"),
        max_length=3,
        primary_key=True,
        validators=[RegexValidator(r"^[1-9]\d{2}$", _("A kommunekode has three digits, e.g. 101."))],
    )
    name = models.CharField(_("name"), max_length=60, unique=True)
    label_lon = models.DecimalField(_("label longitude"), max_digits=7, decimal_places=4)
    label_lat = models.DecimalField(_("label latitude"), max_digits=7, decimal_places=4)
    # The national figures are public (as on Jobindsats); a municipality's own work is not until it says so.
    publishes_work = models.BooleanField(
        _("publishes its targets, commentary, own indicators and reports"),
        default=False,
        help_text=_(
            "Off: anyone may read the municipality's national figures, but only its own people and ministry staff see "
            "its targets, commentary, own indicators and committee reports. On: everyone sees them."
        ),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("dashboard-municipality", args=[self.code])

    def group(self, kind: str, on: dt.date | None = None) -> Area | None:
        """The grouping of a kind (region, RAR area, jobcentre, DST group) this municipality belongs to on a date."""
        membership = (
            Membership.objects.valid_on(on)
            .filter(municipality=self, area__kind=kind, area__in=Area.objects.valid_on(on))
            .select_related("area")
            .first()
        )
        return membership.area if membership else None


class MunicipalityAlias(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("municipality")
    )
    name = models.CharField(_("alias"), max_length=80, unique=True)
    note = models.CharField(_("where the spelling is used"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality alias")
        verbose_name_plural = _("municipality aliases")

    def __str__(self) -> str:
        return f"{self.name} → {self.municipality.code}"


class ValidQuerySet(models.QuerySet):
    def valid_on(self, on: dt.date | None = None) -> ValidQuerySet:
        on = on or dt.date.today()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class AreaQuerySet(ValidQuerySet):
    def of_kind(self, kind: str) -> AreaQuerySet:
        return self.filter(kind=kind)

    def jobcentres(self, on: dt.date | None = None) -> AreaQuerySet:
        return self.of_kind(Area.Kind.JOBCENTRE).valid_on(on)

    def custom_groups_for(self, user) -> AreaQuerySet:
        """The custom groups a user may use: their own and the shared ones (made in the admin, no owner)."""
        mine = Q(owner=user) if user is not None and user.is_authenticated else Q(pk__in=[])
        return self.filter(Q(owner__isnull=True) | mine, kind=Area.Kind.CUSTOM)

    def name_index(self) -> dict[str, int]:
        """Normalised names, aliases and codes a source may use → area id. Where two kinds share a name,
        the country and municipalities win over groupings (Bornholm is the municipality, RAR Bornholm the RAR)."""
        priority = ["country", "municipality", "region", "rar", "jobcentre", "dst_group", "custom"]
        index: dict[str, int] = {}
        # A user's own group is nobody's source area: its name must not capture a source's rows.
        areas = sorted(
            self.filter(owner__isnull=True).values_list("id", "kind", "code", "name"),
            key=lambda a: priority.index(a[1]),
        )
        for area_id, kind, code, name in areas:
            index.setdefault(normalise_name(name), area_id)
            if kind == "municipality":
                index.setdefault(code, area_id)
            if kind == "region":
                index.setdefault(normalise_name(name.removeprefix("Region ")), area_id)
                index.setdefault(code, area_id)
        by_code = {code: area_id for area_id, kind, code, _ in areas if kind == "municipality"}
        for alias, code in MunicipalityAlias.objects.values_list("name", "municipality_id"):
            index.setdefault(normalise_name(alias), by_code[code])
        return index


class Area(models.Model):
    """Anything figures are reported for: the country, a region, a RAR area, a jobcentre, a municipality, a
    DST municipality group or a custom peer group. Groupings change over time, so they carry validity dates
    and so does each membership."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Whole country")
        REGION = "region", _("Region")
        RAR = "rar", _("RAR area")
        JOBCENTRE = "jobcentre", _("Jobcentre")
        MUNICIPALITY = "municipality", _("Municipality")
        DST_GROUP = "dst_group", _("DST municipality group")
        CUSTOM = "custom", _("Custom group")

    GROUP_KINDS = (Kind.REGION, Kind.RAR, Kind.JOBCENTRE, Kind.DST_GROUP, Kind.CUSTOM)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=60, allow_unicode=False)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="area",
        verbose_name=_("municipality"),
    )
    members = models.ManyToManyField(
        Municipality, through="Membership", related_name="groups", blank=True, verbose_name=_("members")
    )
    # A custom group saved by a user on the site is theirs alone (municipalities/groups.py); one made in the admin
    # has no owner and is everyone's. Owned groups get no stored figures: they are summed when shown.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobmaal_groups",
        verbose_name=_("owner"),
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="area_kind_code_unique"),
            models.CheckConstraint(
                condition=Q(kind="municipality", municipality__isnull=False)
                | (~Q(kind="municipality") & Q(municipality__isnull=True)),
                name="area_municipality_iff_kind_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str | None:
        if self.kind == self.Kind.MUNICIPALITY:
            return reverse("dashboard-municipality", args=[self.code])
        if self.kind == self.Kind.JOBCENTRE:
            return reverse("dashboard-jobcentre", args=[self.code])
        return None

    def members_on(self, on: dt.date | None = None) -> models.QuerySet[Municipality]:
        return Municipality.objects.filter(memberships__in=Membership.objects.filter(area=self).valid_on(on)).order_by(
            "code"
        )


class Membership(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("area"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("municipality")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ValidQuerySet.as_manager()

    class Meta:
        ordering = ["area", "municipality"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["area", "municipality", "valid_from"], name="membership_unique_per_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="membership_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} ∈ {self.area.name}"


class UserRole(models.Model):
    """What a user may see and change: a jobcentre chief their own jobcentre, a committee chair their own
    municipality, ministry staff all of them. A user without a role sees only the public first page."""

    class Role(models.TextChoices):
        CHIEF = "chief", _("Jobcentre chief")
        CHAIR = "chair", _("Employment-committee chair")
        MINISTRY = "ministry", _("Ministry staff")

    user = models.OneToOneField(
        "auth.User", on_delete=models.CASCADE, related_name="jobmaal_role", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    jobcentre = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "jobcentre"},
        verbose_name=_("jobcentre"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    # The language the user chose (municipalities/language.py); empty: Danish, or what their browser's cookie says.
    language = models.CharField(_("language"), max_length=5, blank=True, choices=settings.LANGUAGES)
    # A demo user's password is published in the README: outside development they cannot log in (demo_users.py).
    is_demo = models.BooleanField(
        _("demo user"),
        default=False,
        help_text=_("Created for trying Jobmål on a development machine; cannot log in anywhere else."),
    )

    class Meta:
        verbose_name = _("user role")
        verbose_name_plural = _("user roles")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="chief", jobcentre__isnull=False, municipality__isnull=True)
                | Q(role="chair", municipality__isnull=False, jobcentre__isnull=True)
                | Q(role="ministry", jobcentre__isnull=True, municipality__isnull=True),
                name="user_role_scope_matches_role",
            )
        ]

    def __str__(self) -> str:
        scope = self.jobcentre or self.municipality or _("all municipalities")
        return f"{self.user} – {self.get_role_display()} ({scope})"


class Boundary(models.Model):
    """A municipality's outline for the comparison map, as `manage.py load_boundaries` stored it
    (municipalities/boundaries.py): a GeoJSON Polygon or MultiPolygon in WGS84 longitude/latitude, wound as
    plotly's d3-geo expects (outer rings clockwise), and the credit line the map must show."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="boundary",
        verbose_name=_("municipality"),
    )
    geometry = models.JSONField(_("geometry"))
    source = models.TextField(_("source and attribution"))
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        ordering = ["municipality"]
        verbose_name = _("municipality boundary")
        verbose_name_plural = _("municipality boundaries")

    def __str__(self) -> str:
        return str(self.municipality)
