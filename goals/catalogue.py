"""The 2020 goal set from the minister's letter of 21 February 2019. Later years are added in the admin."""

from __future__ import annotations

import datetime as dt

from goals.models import Goal, GoalIndicator, GoalSet
from indicators.models import Indicator

GOAL_SET_2020 = {
    "year": 2020,
    "letter_date": dt.date(2019, 2, 21),
    "letter_from": "Beskæftigelsesministeren",
    "letter_to": "Borgmestre, formænd for beskæftigelsesudvalg og jobcenterchefer i alle 98 kommuner",
    "summary_da": (
        "Beskæftigelsesministerens tre mål for 2020. STAR og Beskæftigelsesrådet offentliggør indikatorer på "
        "Jobindsats.dk til lokal opfølgning."
    ),
    "summary_en": (
        "The Minister for Employment's three goals for 2020. STAR and the Employment Council publish indicators "
        "on Jobindsats.dk for local follow-up."
    ),
}

# How each indicator is shown (GoalIndicator's specification), as Jobmål has shown the 2020 goals from the start.
# Goal 2 leads with the women, as the minister's letter asks, and is drawn by gender (women first) and by years of
# residence; forgæves rekrutteringer is published for RAR areas only; the four counts of goal 3 are drawn as an index.
WOMEN_FIRST = {
    "lead_breakdown": "kon=Kvinder",
    "lead_label_da": "Kvinder",
    "lead_label_en": "Women",
    "breakdown_charts": [
        {
            "dimension": "kon",
            "key": "gender",
            "label_da": "Køn (kvinder først)",
            "label_en": "Gender (women first)",
            "by_da": "efter køn",
            "by_en": "by gender",
            "series": [["kon=Kvinder", "Kvinder", "Women"], ["kon=Mænd", "Mænd", "Men"]],
        },
        {
            "dimension": "opholdstid",
            "key": "residence",
            "label_da": "Opholdstid",
            "label_en": "Years of residence",
            "by_da": "efter opholdstid",
            "by_en": "by years of residence",
            "sort": "years",
        },
    ],
}
RAR_ONLY = {"chart": "bars", "with_country": False, "with_peers": False}
COUNT_INDEX = {"chart": "index"}

GOALS_2020 = [
    {
        "number": 1,
        "text_da": "Virksomhederne skal sikres den nødvendige og kvalificerede arbejdskraft.",
        "text_en": "Companies must be ensured the necessary and qualified labour.",
        "indicators": [
            ("MM10", GoalIndicator.Role.HEADLINE, {}),
            ("FORGREKR", GoalIndicator.Role.SUPPORTING, RAR_ONLY),
        ],
    },
    {
        "number": 2,
        "text_da": "Flere flygtninge og familiesammenførte skal være selvforsørgende.",
        "text_en": "More refugees and family-reunified persons must be self-supporting.",
        "note_da": "Ministeren beder om et særligt fokus på kvinder med indvandrerbaggrund.",
        "note_en": "The minister asks for a particular focus on women with an immigrant background.",
        "indicators": [("MM13", GoalIndicator.Role.HEADLINE, WOMEN_FIRST)],
    },
    {
        "number": 3,
        "text_da": "Flere personer med handicap skal i beskæftigelse.",
        "text_en": "More persons with disabilities must get into employment.",
        "indicators": [
            ("Y08A02", GoalIndicator.Role.PROXY, COUNT_INDEX),
            ("Y09A02", GoalIndicator.Role.PROXY, COUNT_INDEX),
            ("Y11A02", GoalIndicator.Role.PROXY, COUNT_INDEX),
            ("Y12A02", GoalIndicator.Role.PROXY, COUNT_INDEX),
        ],
    },
]


def load() -> bool:
    """Create the 2020 goal set with its goals and indicator links if it is missing; True if created."""
    goal_set, created = GoalSet.objects.get_or_create(year=2020, defaults=GOAL_SET_2020)
    if not created:
        return False
    for spec in GOALS_2020:
        spec = dict(spec)
        links = spec.pop("indicators")
        goal = Goal.objects.create(goal_set=goal_set, **spec)
        for order, (code, role, shown) in enumerate(links):
            indicator = Indicator.objects.get(code=code)
            GoalIndicator.objects.create(goal=goal, indicator=indicator, role=role, order=order, **shown)
    return True
