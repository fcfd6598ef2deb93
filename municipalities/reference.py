"""Denmark's areas as of the 2020 goals: 98 municipalities, 5 regions, 8 RAR areas, 5 DST municipality groups and
94 jobcentres. Codes, names and label points are public facts (Danmarks Statistik, DAGI); the RAR membership
follows the 2015–2024 councils, and the jobcentre pairs follow Jobindsats' 2020 areas.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from municipalities import boundaries
from municipalities.models import Area, Boundary, Membership, Municipality, MunicipalityAlias

# The 98 outlines for the comparison map, shipped with the app (source, licence and derivation: data/README.md).
BOUNDARIES = Path(__file__).parent / "data" / "kommuner_98.geojson"

REGIONS = {
    1081: "Region Nordjylland",
    1082: "Region Midtjylland",
    1083: "Region Syddanmark",
    1084: "Region Hovedstaden",
    1085: "Region Sjælland",
}
REGIONS_FROM = dt.date(2007, 1, 1)

RAR_AREAS = {
    "hovedstaden": "RAR Hovedstaden",
    "bornholm": "RAR Bornholm",
    "sjaelland": "RAR Sjælland",
    "fyn": "RAR Fyn",
    "sydjylland": "RAR Sydjylland",
    "oestjylland": "RAR Østjylland",
    "vestjylland": "RAR Vestjylland",
    "nordjylland": "RAR Nordjylland",
}
# The eight regional labour-market councils ran 2015–2024; five regional councils replaced them in 2025.
RAR_FROM, RAR_TO = dt.date(2015, 1, 1), dt.date(2024, 12, 31)

DST_GROUPS = {
    1: "Hovedstadskommuner",
    2: "Storbykommuner",
    3: "Provinsbykommuner",
    4: "Oplandskommuner",
    5: "Landkommuner",
}
DST_GROUPS_FROM = dt.date(2018, 1, 1)

# Jobcentres serving two municipalities in 2020 (the Esbjerg–Fanø pair is unverified): slug → name, members.
# The 2020 arrangement is dated from 2016, the start of the figures Jobmål follows, so that year-on-year changes
# and trends exist for jobcentres; where a jobcentre was arranged differently before 2020, edit its dates.
SHARED_JOBCENTRES = {
    "taarnby-dragoer": ("Jobcenter Tårnby-Dragør", ("185", "155")),
    "ishoej-vallensbaek": ("Jobcenter Ishøj-Vallensbæk", ("183", "187")),
    "frederikshavn-laesoe": ("Jobcenter Frederikshavn-Læsø", ("813", "825")),
    "esbjerg-fanoe": ("Jobcenter Esbjerg-Fanø", ("561", "563")),
}
JOBCENTRES_FROM = dt.date(2016, 1, 1)

COUNTRY_CODE = "dk"
COUNTRY_NAME = "Hele landet"

# (kommunekode, official name, region, RAR area, DST group, label lon, label lat, other spellings)
MUNICIPALITIES = [
    (101, "København", 1084, "hovedstaden", 1, 12.6016, 55.6574, ("Københavns",)),
    (147, "Frederiksberg", 1084, "hovedstaden", 1, 12.5239, 55.6824, ()),
    (151, "Ballerup", 1084, "hovedstaden", 1, 12.3649, 55.7306, ()),
    (153, "Brøndby", 1084, "hovedstaden", 1, 12.4050, 55.6436, ()),
    (155, "Dragør", 1084, "hovedstaden", 1, 12.6371, 55.5815, ()),
    (157, "Gentofte", 1084, "hovedstaden", 1, 12.5464, 55.7506, ()),
    (159, "Gladsaxe", 1084, "hovedstaden", 1, 12.4757, 55.7458, ()),
    (161, "Glostrup", 1084, "hovedstaden", 1, 12.4128, 55.6836, ()),
    (163, "Herlev", 1084, "hovedstaden", 1, 12.4293, 55.7337, ()),
    (165, "Albertslund", 1084, "hovedstaden", 1, 12.3513, 55.6760, ()),
    (167, "Hvidovre", 1084, "hovedstaden", 1, 12.4673, 55.6345, ()),
    (169, "Høje-Taastrup", 1084, "hovedstaden", 1, 12.2443, 55.6554, ("Høje Taastrup",)),
    (173, "Lyngby-Taarbæk", 1084, "hovedstaden", 1, 12.5046, 55.7841, ()),
    (175, "Rødovre", 1084, "hovedstaden", 1, 12.4481, 55.6909, ()),
    (183, "Ishøj", 1084, "hovedstaden", 1, 12.3377, 55.6159, ()),
    (185, "Tårnby", 1084, "hovedstaden", 1, 12.5950, 55.6104, ()),
    (187, "Vallensbæk", 1084, "hovedstaden", 1, 12.3704, 55.6334, ()),
    (190, "Furesø", 1084, "hovedstaden", 1, 12.3744, 55.8019, ()),
    (201, "Allerød", 1084, "hovedstaden", 1, 12.3386, 55.8562, ()),
    (210, "Fredensborg", 1084, "hovedstaden", 4, 12.4445, 55.9516, ()),
    (217, "Helsingør", 1084, "hovedstaden", 3, 12.5063, 56.0362, ()),
    (219, "Hillerød", 1084, "hovedstaden", 3, 12.2304, 55.9248, ()),
    (223, "Hørsholm", 1084, "hovedstaden", 1, 12.4755, 55.8856, ()),
    (230, "Rudersdal", 1084, "hovedstaden", 1, 12.4842, 55.8372, ()),
    (240, "Egedal", 1084, "hovedstaden", 1, 12.2145, 55.7608, ()),
    (250, "Frederikssund", 1084, "hovedstaden", 4, 12.1336, 55.8348, ()),
    (253, "Greve", 1085, "sjaelland", 1, 12.2412, 55.5891, ()),
    (259, "Køge", 1085, "sjaelland", 3, 12.0667, 55.4518, ()),
    (260, "Halsnæs", 1084, "hovedstaden", 4, 11.8977, 55.9547, ()),
    (265, "Roskilde", 1085, "sjaelland", 3, 12.0812, 55.6467, ()),
    (269, "Solrød", 1085, "sjaelland", 1, 12.1671, 55.5350, ()),
    (270, "Gribskov", 1084, "hovedstaden", 4, 12.2224, 56.0490, ()),
    (306, "Odsherred", 1085, "sjaelland", 5, 11.6079, 55.8706, ()),
    (316, "Holbæk", 1085, "sjaelland", 4, 11.5803, 55.6543, ()),
    (320, "Faxe", 1085, "sjaelland", 4, 12.0958, 55.2680, ()),
    (326, "Kalundborg", 1085, "sjaelland", 5, 11.2639, 55.6068, ()),
    (329, "Ringsted", 1085, "sjaelland", 4, 11.8128, 55.4593, ()),
    (330, "Slagelse", 1085, "sjaelland", 3, 11.3519, 55.3474, ()),
    (336, "Stevns", 1085, "sjaelland", 4, 12.3433, 55.3321, ()),
    (340, "Sorø", 1085, "sjaelland", 4, 11.5552, 55.4774, ()),
    (350, "Lejre", 1085, "sjaelland", 4, 11.8978, 55.6358, ()),
    (360, "Lolland", 1085, "sjaelland", 5, 11.2688, 54.7785, ()),
    (370, "Næstved", 1085, "sjaelland", 3, 11.7087, 55.2616, ()),
    (376, "Guldborgsund", 1085, "sjaelland", 5, 11.6968, 54.7729, ()),
    (390, "Vordingborg", 1085, "sjaelland", 5, 11.9744, 55.0586, ()),
    (400, "Bornholm", 1084, "bornholm", 5, 14.9228, 55.1431, ("Bornholms", "Bornholms Regionskommune")),
    (410, "Middelfart", 1083, "fyn", 4, 9.9367, 55.4480, ()),
    (420, "Assens", 1083, "fyn", 4, 10.0657, 55.2757, ()),
    (430, "Faaborg-Midtfyn", 1083, "fyn", 4, 10.4274, 55.2001, ()),
    (440, "Kerteminde", 1083, "fyn", 4, 10.6288, 55.4719, ()),
    (450, "Nyborg", 1083, "fyn", 4, 10.6791, 55.2986, ()),
    (461, "Odense", 1083, "fyn", 2, 10.3539, 55.3842, ()),
    (479, "Svendborg", 1083, "fyn", 5, 10.5950, 55.1246, ()),
    (480, "Nordfyns", 1083, "fyn", 4, 10.2370, 55.5140, ("Nordfyn",)),
    (482, "Langeland", 1083, "fyn", 5, 10.7772, 54.9431, ()),
    (492, "Ærø", 1083, "fyn", 5, 10.3242, 54.8938, ()),
    (510, "Haderslev", 1083, "sydjylland", 5, 9.2515, 55.2534, ()),
    (530, "Billund", 1083, "sydjylland", 5, 8.9977, 55.7433, ()),
    (540, "Sønderborg", 1083, "sydjylland", 5, 9.9319, 54.9681, ()),
    (550, "Tønder", 1083, "sydjylland", 5, 8.8890, 55.0630, ()),
    (561, "Esbjerg", 1083, "sydjylland", 3, 8.7610, 55.4088, ()),
    (563, "Fanø", 1083, "sydjylland", 5, 8.4256, 55.4044, ()),
    (573, "Varde", 1083, "sydjylland", 5, 8.5087, 55.6659, ()),
    (575, "Vejen", 1083, "sydjylland", 4, 9.0306, 55.4570, ()),
    (580, "Aabenraa", 1083, "sydjylland", 5, 9.3537, 54.9906, ()),
    (607, "Fredericia", 1083, "sydjylland", 3, 9.6681, 55.5690, ()),
    (615, "Horsens", 1082, "oestjylland", 3, 9.7700, 55.9382, ()),
    (621, "Kolding", 1083, "sydjylland", 3, 9.4673, 55.4700, ()),
    (630, "Vejle", 1083, "sydjylland", 3, 9.3524, 55.7625, ()),
    (657, "Herning", 1082, "vestjylland", 3, 8.8625, 56.1464, ()),
    (661, "Holstebro", 1082, "vestjylland", 3, 8.7089, 56.3942, ()),
    (665, "Lemvig", 1082, "vestjylland", 5, 8.3022, 56.5290, ()),
    (671, "Struer", 1082, "vestjylland", 5, 8.5376, 56.6353, ()),
    (706, "Syddjurs", 1082, "oestjylland", 4, 10.6616, 56.2703, ()),
    (707, "Norddjurs", 1082, "oestjylland", 5, 10.6100, 56.4510, ()),
    (710, "Favrskov", 1082, "oestjylland", 4, 9.9293, 56.3214, ()),
    (727, "Odder", 1082, "oestjylland", 4, 10.1427, 55.9306, ()),
    (730, "Randers", 1082, "oestjylland", 3, 10.0027, 56.5357, ()),
    (740, "Silkeborg", 1082, "oestjylland", 3, 9.6110, 56.1844, ()),
    (741, "Samsø", 1082, "oestjylland", 5, 10.6115, 55.8832, ()),
    (746, "Skanderborg", 1082, "oestjylland", 4, 9.8531, 56.0851, ()),
    (751, "Aarhus", 1082, "oestjylland", 2, 10.1002, 56.1629, ("Århus",)),
    (756, "Ikast-Brande", 1082, "vestjylland", 4, 9.2616, 56.0525, ()),
    (760, "Ringkøbing-Skjern", 1082, "vestjylland", 5, 8.5486, 56.0176, ()),
    (766, "Hedensted", 1082, "oestjylland", 4, 9.7812, 55.7969, ()),
    (773, "Morsø", 1081, "nordjylland", 5, 8.7296, 56.8273, ()),
    (779, "Skive", 1082, "vestjylland", 5, 8.9328, 56.6458, ()),
    (787, "Thisted", 1081, "nordjylland", 5, 8.4840, 56.9158, ()),
    (791, "Viborg", 1082, "vestjylland", 3, 9.3834, 56.4522, ()),
    (810, "Brønderslev", 1081, "nordjylland", 5, 10.1954, 57.2038, ("Brønderslev-Dronninglund",)),
    (813, "Frederikshavn", 1081, "nordjylland", 5, 10.4544, 57.4608, ()),
    (820, "Vesthimmerlands", 1081, "nordjylland", 5, 9.4055, 56.8247, ("Vesthimmerland",)),
    (825, "Læsø", 1081, "nordjylland", 5, 10.9932, 57.2720, ()),
    (840, "Rebild", 1081, "nordjylland", 4, 10.0007, 56.8123, ()),
    (846, "Mariagerfjord", 1081, "nordjylland", 5, 9.9203, 56.7057, ()),
    (849, "Jammerbugt", 1081, "nordjylland", 5, 9.6650, 57.1849, ()),
    (851, "Aalborg", 1081, "nordjylland", 2, 10.0194, 57.1084, ()),
    (860, "Hjørring", 1081, "nordjylland", 5, 10.0754, 57.4627, ()),
]

ALIAS_NOTES = {
    "Høje Taastrup": "DAGI 2014",
    "Århus": "old spelling",
    "Brønderslev-Dronninglund": "name until 2011",
    "Nordfyn": "law text",
    "Vesthimmerland": "law text",
    "Bornholms Regionskommune": "official title",
}


def ascii_slug(name: str) -> str:
    """URL slug with the Danish letters spelt out (æ→ae, ø→oe, å→aa) rather than dropped."""
    return slugify(name.translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})))


def jobcentres() -> list[tuple[str, str, tuple[str, ...]]]:
    """The 94 jobcentres of 2020 as (slug, name, member codes)."""
    shared = {code for _, members in SHARED_JOBCENTRES.values() for code in members}
    result = [(slug, name, members) for slug, (name, members) in SHARED_JOBCENTRES.items()]
    for code, name, *_ in MUNICIPALITIES:
        if str(code) not in shared:
            result.append((ascii_slug(name), f"Jobcenter {name}", (str(code),)))
    return sorted(result)


def _group(kind: str, code: str, name: str, members: list[str], valid_from, valid_to=None) -> bool:
    # A grouping is created with its members once; later edits in the admin are kept, not overwritten.
    area, created = Area.objects.get_or_create(
        kind=kind, code=code, defaults={"name": name, "valid_from": valid_from, "valid_to": valid_to}
    )
    if created:
        Membership.objects.bulk_create(
            Membership(area=area, municipality_id=m, valid_from=valid_from, valid_to=valid_to) for m in members
        )
    return created


@transaction.atomic
def load() -> dict[str, int]:
    """Create or update the reference areas; safe to run any number of times."""
    for code, name, _region, _rar, _grp, lon, lat, aliases in MUNICIPALITIES:
        municipality, _ = Municipality.objects.update_or_create(
            code=str(code), defaults={"name": name, "label_lon": lon, "label_lat": lat}
        )
        Area.objects.update_or_create(
            kind=Area.Kind.MUNICIPALITY, code=str(code), defaults={"name": name, "municipality": municipality}
        )
        for alias in aliases:
            MunicipalityAlias.objects.get_or_create(
                name=alias, defaults={"municipality": municipality, "note": ALIAS_NOTES.get(alias, "")}
            )
    Area.objects.get_or_create(kind=Area.Kind.COUNTRY, code=COUNTRY_CODE, defaults={"name": COUNTRY_NAME})
    for code, name in REGIONS.items():
        members = [str(m[0]) for m in MUNICIPALITIES if m[2] == code]
        _group(Area.Kind.REGION, str(code), name, members, REGIONS_FROM)
    for code, name in RAR_AREAS.items():
        members = [str(m[0]) for m in MUNICIPALITIES if m[3] == code]
        _group(Area.Kind.RAR, code, name, members, RAR_FROM, RAR_TO)
    for code, name in DST_GROUPS.items():
        members = [str(m[0]) for m in MUNICIPALITIES if m[4] == code]
        _group(Area.Kind.DST_GROUP, str(code), name, members, DST_GROUPS_FROM)
    for slug, name, members in jobcentres():
        _group(Area.Kind.JOBCENTRE, slug, name, list(members), JOBCENTRES_FROM)
    if not Boundary.objects.exists():  # the shipped outlines, unless another file was loaded since
        boundaries.load(BOUNDARIES)
    return {kind: Area.objects.filter(kind=kind).count() for kind in Area.Kind.values}
