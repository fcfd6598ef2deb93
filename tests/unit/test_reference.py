import csv
from decimal import Decimal

import pytest

from goals import reference as goal_reference
from goals.models import GoalSet
from indicators.models import Indicator
from municipalities import reference
from municipalities.models import Area, Membership, Municipality, danish_sort_key, normalise_name
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.django_db


def test_reference_counts_match_denmark_2020():
    assert Municipality.objects.count() == 98
    assert Area.objects.of_kind(Area.Kind.REGION).count() == 5
    assert Area.objects.of_kind(Area.Kind.RAR).count() == 8
    assert Area.objects.of_kind(Area.Kind.DST_GROUP).count() == 5
    assert Area.objects.jobcentres(on=None).count() == 94
    assert Area.objects.of_kind(Area.Kind.COUNTRY).get().name == "Hele landet"
    assert GoalSet.objects.get(year=2020).goals.count() == 3


def test_region_codes_are_the_official_ones():
    codes = set(Area.objects.of_kind(Area.Kind.REGION).values_list("code", flat=True))
    assert codes == {"1081", "1082", "1083", "1084", "1085"}


@pytest.mark.parametrize("kind", [Area.Kind.REGION, Area.Kind.RAR, Area.Kind.DST_GROUP, Area.Kind.JOBCENTRE])
def test_every_municipality_is_in_exactly_one_grouping_of_each_kind(kind):
    import datetime as dt

    on = dt.date(2020, 6, 30)
    per_municipality = {}
    for membership in Membership.objects.valid_on(on).filter(area__kind=kind):
        per_municipality.setdefault(membership.municipality_id, []).append(membership.area.code)
    assert len(per_municipality) == 98
    assert all(len(areas) == 1 for areas in per_municipality.values())


def test_shared_jobcentres_serve_both_municipalities():
    taarnby = Area.objects.get(kind=Area.Kind.JOBCENTRE, code="taarnby-dragoer")
    assert [m.name for m in taarnby.members_on()] == ["Dragør", "Tårnby"]
    assert Municipality.objects.get(code="825").group(Area.Kind.JOBCENTRE).code == "frederikshavn-laesoe"


def test_rar_areas_end_with_2024():
    import datetime as dt

    aalborg = Municipality.objects.get(code="851")
    assert aalborg.group(Area.Kind.RAR, on=dt.date(2020, 1, 1)).name == "RAR Nordjylland"
    assert aalborg.group(Area.Kind.RAR, on=dt.date(2025, 1, 1)) is None


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("Nordfyns", "480"),
        ("Nordfyn", "480"),
        ("Vesthimmerlands", "820"),
        ("Vesthimmerland", "820"),
        ("Høje-Taastrup", "169"),
        ("Høje Taastrup", "169"),
        ("Aarhus", "751"),
        ("Århus", "751"),
        ("Brønderslev", "810"),
        ("Brønderslev-Dronninglund", "810"),
        ("København", "101"),
        ("Københavns Kommune", "101"),
        ("Bornholms Regionskommune", "400"),
        ("  lyngby-taarbæk ", "173"),
        ("860", "860"),
    ],
)
def test_spellings_resolve_to_their_kommunekode(spelling, code):
    assert Municipality.objects.resolve(spelling).code == code


def test_every_alias_resolves_to_its_own_municipality():
    index = Municipality.objects.name_index()
    for municipality in Municipality.objects.prefetch_related("aliases"):
        for alias in municipality.aliases.all():
            assert index[normalise_name(alias.name)] == municipality.code, alias.name


def test_unknown_name_names_what_was_asked_for():
    with pytest.raises(Municipality.DoesNotExist, match="'Atlantis'"):
        Municipality.objects.resolve("Atlantis")


def test_load_is_idempotent_and_keeps_admin_edits():
    fanoe = Membership.objects.get(area__code="esbjerg-fanoe", municipality_id="563")
    fanoe.delete()  # as if an admin corrected the unverified Esbjerg–Fanø pair
    before = (Area.objects.count(), Membership.objects.count(), Indicator.objects.count())
    counts = goal_reference.load_all()
    assert (Area.objects.count(), Membership.objects.count(), Indicator.objects.count()) == before
    assert counts["municipality"] == 98 and counts["indicators_created"] == 0
    assert not Membership.objects.filter(area__code="esbjerg-fanoe", municipality_id="563").exists()


def test_danish_alphabetical_order():
    names = ["Aalborg", "Ærø", "Vejle", "Odense", "Aabenraa", "Albertslund", "Øster", "Jobcenter Aarhus"]
    assert sorted(names, key=danish_sort_key) == [
        "Albertslund",
        "Jobcenter Aarhus",
        "Odense",
        "Vejle",
        "Ærø",
        "Øster",
        "Aabenraa",
        "Aalborg",
    ]


@pytest.mark.skipif(not SHARED_DATA.exists(), reason="../shared/data is not beside this checkout")
def test_reference_data_agrees_with_the_public_reference_files():
    rows = {r["kommunekode"]: r for r in csv.DictReader((SHARED_DATA / "kommuner_98.csv").open(encoding="utf-8"))}
    assert len(rows) == 98
    rar_names = reference.RAR_AREAS
    groups = reference.DST_GROUPS
    for code, name, region, rar, group, lon, lat, _aliases in reference.MUNICIPALITIES:
        row = rows[str(code)]
        assert name == row["navn"]
        assert str(region) == row["regionskode"]
        assert rar_names[rar] == row["rar_2015_2024"]
        assert groups[group] == row["kommunegruppe_dst"]
        assert abs(Decimal(str(lon)) - Decimal(row["label_lon"])) < Decimal("0.001")
        assert abs(Decimal(str(lat)) - Decimal(row["label_lat"])) < Decimal("0.001")
    known = {normalise_name(v) for r in rows.values() for v in r["navn_varianter"].split("|") if v}
    ours = {normalise_name(a) for m in reference.MUNICIPALITIES for a in m[7]}
    assert known <= ours


def test_demo_users_one_per_role_only_with_debug(settings):
    from django.contrib.auth.models import User
    from django.core.exceptions import ImproperlyConfigured

    from municipalities import demo_users

    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        demo_users.create()
    settings.DEBUG = True
    assert demo_users.create() == ["chef", "formand", "ministerie"]
    assert demo_users.create() == []
    roles = {
        u.username: (
            u.jobmaal_role.role,
            u.jobmaal_role.jobcentre_id and u.jobmaal_role.jobcentre.code,
            u.jobmaal_role.municipality_id,
        )
        for u in User.objects.all()
    }
    assert roles == {
        "chef": ("chief", "taarnby-dragoer", None),
        "formand": ("chair", None, "751"),
        "ministerie": ("ministry", None, None),
    }
    assert User.objects.get(username="chef").check_password("jobmaal-demo")
