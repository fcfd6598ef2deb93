"""The national indicators Jobmål follows for the 2020 goals (see shared/jobindsats.md §2–3), seeded once and
edited in the admin thereafter."""

from __future__ import annotations

from indicators.models import Indicator

U, P, F = Indicator.Unit, Indicator.Polarity, Indicator.Frequency

# How a source table's columns map to Jobmål's keys (indicators/columns.py matches them tolerantly, by id or by
# label, with or without the "<measure group>: " prefix; SourceColumn rows add the labels and ids the table
# metadata gives and those entered in the admin). "counts" are summed over areas and must be whole unless
# "fractional"; "shares" are derived as sum(numerator) / sum(denominator) × 100; "percents" lie in 0–100;
# "ranks" are 1–98 and unique per period and breakdown; "differences" must equal actual − expected within the
# given rounding; "rank_by" names the difference a rank orders by; "rounding" is how counts are published.
#
# Only Y30R21's labels and ids are the source's own, as documented (shared/jobindsats.md §3). The labels of the
# other tables are Jobmål's working names until `manage.py sync_catalogue --columns` reads the real ones from
# the table metadata, or they are added in the admin.
PROXY_SPEC = {
    "dimensions": {},
    "measures": {"Antal personer": "personer", "Antal fuldtidspersoner": "fuldtidspersoner"},
    "counts": ["personer", "fuldtidspersoner"],
    "fractional": ["fuldtidspersoner"],
    "headline": "personer",
}

Y30R21_COUNTS = "Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse"
Y30R21_SHARES = "Forventet og faktisk andel fuldtidspersoner på offentlig forsørgelse"
Y30R21_SPEC = {
    "dimensions": {"Ydelsesgrupper": "ydelsesgruppe"},
    "ids": {"_ygrp_y30r21": "ydelsesgruppe"},
    "measures": {
        f"{Y30R21_COUNTS}: Forventet antal": "forventet_antal",
        f"{Y30R21_COUNTS}: Faktisk antal": "faktisk_antal",
        f"{Y30R21_COUNTS}: Forskel mellem forventet og faktisk antal": "forskel_antal",
        f"{Y30R21_SHARES}: Forventet andel (pct.)": "forventet_andel",
        f"{Y30R21_SHARES}: Faktisk andel (pct.)": "faktisk_andel",
        f"{Y30R21_SHARES}: Forskel mellem forventet og faktisk andel (pct. point)": "forskel_andel",
        "Placering på benchmarkranglisten": "placering",
    },
    "counts": ["forventet_antal", "faktisk_antal"],
    "percents": ["forventet_andel", "faktisk_andel"],
    "ranks": ["placering"],
    # Counts are published rounded to tens, shares to two decimals: a difference of rounded figures may be off
    # by one unit of rounding.
    "differences": {
        "forskel_antal": ["faktisk_antal", "forventet_antal", "10"],
        "forskel_andel": ["faktisk_andel", "forventet_andel", "0.015"],
    },
    "rank_by": {"placering": "forskel_andel"},
    "rounding": {"forventet_antal": 10, "faktisk_antal": 10},
    "headline": "faktisk_andel",
}

INDICATORS = [
    {
        "code": "MM10",
        "source_spec": {
            "dimensions": {"Samarbejde": "samarbejde"},
            "measures": {
                "Samarbejdsgrad (pct.)": "samarbejdsgrad",
                "Virksomheder med samarbejde": "virksomheder_samarbejde",
                "Virksomheder i alt": "virksomheder",
            },
            "counts": ["virksomheder_samarbejde", "virksomheder"],
            "shares": {"samarbejdsgrad": ["virksomheder_samarbejde", "virksomheder"]},
            "headline": "samarbejdsgrad",
            "headline_breakdown": "samarbejde=Alle jobcentre",
        },
        "name_da": "Samarbejdsgrad med virksomheder",
        "name_en": "Share of companies cooperating with a jobcentre",
        "unit": U.PERCENT,
        "polarity": P.HIGHER_BETTER,
        "frequency": F.MONTHLY,
        "source_table": "MM10",
        "source_measure": "Samarbejdsgrad (pct.)",
        "definition_da": (
            "Andelen af kommunens virksomheder (mindst én ansat i gennemsnit), der har samarbejdet med et "
            "jobcenter om løntilskud, virksomhedspraktik, jobrotation, skånejob, fleksjob eller mentor. "
            "Tre varianter: med eget jobcenter, med andre jobcentre, med et hvilket som helst jobcenter."
        ),
        "definition_en": (
            "Share of the municipality's companies (at least one employee on average) that cooperated with a "
            "jobcentre on wage subsidy, company internship, job rotation, sheltered job, flexible job or mentor. "
            "Three variants: with the local jobcentre, with other jobcentres, with any jobcentre."
        ),
    },
    {
        "code": "FORGREKR",
        "source_spec": {
            "dimensions": {},
            "measures": {"Forgæves rekrutteringer": "forgaeves", "Rekrutteringsforsøg": "forsoeg"},
            "counts": ["forgaeves", "forsoeg"],
            "headline": "forgaeves",
        },
        "name_da": "Forgæves rekrutteringer",
        "name_en": "Unsuccessful recruitments",
        "unit": U.COUNT,
        "polarity": P.LOWER_BETTER,
        "frequency": F.HALF_YEARLY,
        "area_level": "rar",
        "source_table": "Rekrutteringssurvey",
        "source_measure": "Forgæves rekrutteringer (antal)",
        "definition_da": (
            "Antal forgæves rekrutteringsforsøg i RAR-området i forhold til samme periode året før "
            "(STAR's rekrutteringssurvey, offentliggjort ultimo juni og ultimo november)."
        ),
        "definition_en": (
            "Number of unsuccessful recruitment attempts in the RAR area compared with the same period a year "
            "before (STAR's recruitment survey, published at the end of June and the end of November)."
        ),
    },
    {
        "code": "MM13",
        "source_spec": {
            "dimensions": {"Køn": "kon", "Opholdstid": "opholdstid"},
            "ids": {"_kon": "kon"},
            "measures": {
                "Andel i beskæftigelse (pct.)": "andel",
                "Beskæftigede": "beskaeftigede",
                "Personer i alt": "personer",
            },
            "counts": ["beskaeftigede", "personer"],
            "shares": {"andel": ["beskaeftigede", "personer"]},
            "headline": "andel",
        },
        "name_da": "Andel flygtninge og familiesammenførte i beskæftigelse",
        "name_en": "Share of refugees and family-reunified persons in employment",
        "unit": U.PERCENT,
        "polarity": P.HIGHER_BETTER,
        "frequency": F.MONTHLY,
        "source_table": "MM13",
        "source_measure": "Andel i ordinær beskæftigelse (pct.)",
        "definition_da": (
            "Tæller: borgere på 18–66 år med første opholdsgrundlag som flygtning eller familiesammenført til en "
            "flygtning (fra 2004), som havde ustøttet lønmodtagerbeskæftigelse i måneden. Nævner: alle sådanne "
            "borgere ultimo måneden. Støttede job (fleksjob, løntilskud, skånejob) tæller ikke med."
        ),
        "definition_en": (
            "Numerator: residents aged 18–66 whose first residence permit was as a refugee or family-reunified "
            "to a refugee (from 2004) and who had unsupported wage employment in the month. Denominator: all such "
            "residents at the end of the month. Supported jobs (flexible job, wage subsidy, sheltered job) do "
            "not count."
        ),
    },
    {
        "code": "Y08A02",
        "source_spec": PROXY_SPEC,
        "name_da": "Personer i fleksjob",
        "name_en": "Persons in flexible jobs",
        "unit": U.PERSONS,
        "polarity": P.HIGHER_BETTER,
        "frequency": F.MONTHLY,
        "source_table": "Y08A02",
        "source_measure": "Antal personer",
        "is_proxy": True,
        "definition_da": "Antal personer i fleksjob. Proxy for mål 3: ingen national kommunal indikator findes.",
        "definition_en": "Persons in flexible jobs. Proxy for goal 3: no national municipal indicator exists.",
    },
    {
        "code": "Y09A02",
        "source_spec": PROXY_SPEC,
        "name_da": "Personer på ledighedsydelse",
        "name_en": "Persons on unemployment benefit for flexible-job candidates",
        "unit": U.PERSONS,
        "polarity": P.LOWER_BETTER,
        "frequency": F.MONTHLY,
        "source_table": "Y09A02",
        "source_measure": "Antal personer",
        "is_proxy": True,
        "definition_da": "Antal personer visiteret til fleksjob, der er ledige og modtager ledighedsydelse. Proxy.",
        "definition_en": "Persons approved for a flexible job who are unemployed on ledighedsydelse. Proxy.",
    },
    {
        "code": "Y11A02",
        "source_spec": PROXY_SPEC,
        "name_da": "Personer i ressourceforløb",
        "name_en": "Persons in resource programmes",
        "unit": U.PERSONS,
        "polarity": P.NEUTRAL,
        "frequency": F.MONTHLY,
        "source_table": "Y11A02",
        "source_measure": "Antal personer",
        "is_proxy": True,
        "definition_da": "Antal personer i ressourceforløb. Proxy for mål 3.",
        "definition_en": "Persons in resource programmes (ressourceforløb). Proxy for goal 3.",
    },
    {
        "code": "Y12A02",
        "source_spec": PROXY_SPEC,
        "name_da": "Personer i jobafklaringsforløb",
        "name_en": "Persons in job clarification programmes",
        "unit": U.PERSONS,
        "polarity": P.NEUTRAL,
        "frequency": F.MONTHLY,
        "source_table": "Y12A02",
        "source_measure": "Antal personer",
        "is_proxy": True,
        "definition_da": "Antal personer i jobafklaringsforløb. Proxy for mål 3.",
        "definition_en": "Persons in job clarification programmes (jobafklaringsforløb). Proxy for goal 3.",
    },
    {
        "code": "Y30R21",
        "source_spec": Y30R21_SPEC,
        "name_da": "Benchmark: forventet og faktisk andel på offentlig forsørgelse",
        "name_en": "Benchmark: expected and actual share on public support",
        "unit": U.PERCENT,
        "polarity": P.LOWER_BETTER,
        "frequency": F.ROLLING_YEAR,
        "source_table": "Y30R21",
        "source_measure": "Forventet/faktisk antal og andel, forskel, placering",
        "definition_da": (
            "Ministeriets benchmark: forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse givet "
            "kommunens rammevilkår, forskellen og placeringen 1–98 (1 = mest under forventet). Rullende fire "
            "kvartaler, halvårligt."
        ),
        "definition_en": (
            "The ministry's benchmark: expected and actual full-time persons on public support given the "
            "municipality's framework conditions, the difference and the rank 1–98 (1 = furthest below "
            "expectation). Rolling four quarters, half-yearly."
        ),
    },
]


def load() -> int:
    """Create the seeded indicators that are missing; return how many were created."""
    created = 0
    for spec in INDICATORS:
        _, was_created = Indicator.objects.get_or_create(code=spec["code"], defaults=spec)
        created += was_created
    return created
