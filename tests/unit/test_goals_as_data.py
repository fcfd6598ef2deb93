"""Issue 22: the goal set is the one source of what the pages, charts and reports show. No code of a goal's
indicator is a literal in goals/, dashboard/, reports/ or the templates outside the seed data (goals/catalogue.py and
its migration): a new year's goal set added in the admin then needs no code change."""

import re
from pathlib import Path

from goals.catalogue import GOALS_2020

ROOT = Path(__file__).resolve().parents[2]
SEED = {"goals/catalogue.py"}


def test_no_goal_indicator_code_is_a_literal_outside_the_seed_data():
    codes = {code for goal in GOALS_2020 for code, *_rest in goal["indicators"]}
    pattern = re.compile(r"\b(?:" + "|".join(sorted(codes)) + r")\b")
    found = []
    for folder in ("goals", "dashboard", "reports", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            where = path.relative_to(ROOT).as_posix()
            if path.suffix not in (".py", ".html", ".js") or "migrations" in path.parts or where in SEED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    found.append(f"{where}:{number}: {line.strip()}")
    assert len(codes) == 7
    assert found == [], "\n".join(found)
