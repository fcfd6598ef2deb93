"""The formatter lays out all the code (`ruff format --check` in `make test`). A line it must leave alone says why on
the line above (a comment naming the formatter), and there are at most a handful of them."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRAGMAS = ("# fmt" + ": skip", "# fmt" + ": off")  # written apart, so that this file is not one of them


def formatter_pragmas(root: Path = ROOT) -> tuple[int, list[str]]:
    count, unexplained = 0, []
    for path in sorted(root.rglob("*.py")):
        if {".venv", "node_modules", "var", ".git"} & set(path.relative_to(root).parts):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines):
            if any(pragma in line for pragma in PRAGMAS) and not line.lstrip().startswith(('"', "'")):
                count += 1
                above = lines[n - 1].strip() if n else ""
                if not (above.startswith("#") and "formatter" in above):
                    unexplained.append(f"{path.relative_to(root)}:{n + 1}")
    return count, unexplained


def test_the_formatter_lays_out_the_code_with_at_most_a_handful_of_explained_exceptions():
    count, unexplained = formatter_pragmas()
    assert unexplained == [] and count <= 5


def test_the_check_sees_an_unexplained_pragma(tmp_path):
    (tmp_path / "a.py").write_text("X = [1,2]  " + PRAGMAS[0] + "\n# the formatter would split the table\nY = 1\n")
    assert formatter_pragmas(tmp_path) == (1, ["a.py:1"])


# SQL written by hand, outside migrations: where the ORM cannot say it, or says it too slowly, and why.
RAW_SQL_ALLOWED = {
    "indicators/pipeline.py": "staging, set-wise checks and the one-statement merge of an import (ADR 0012)",
    "indicators/aggregates.py": "the derived figures, one INSERT … SELECT per indicator (ADR 0012)",
    "goals/rendering.py": "the charts' read layer query run on the cursor (no model instances), the rebuild's lock",
    "goals/progress.py": "a page's data version from PostgreSQL in one query, while Redis cannot say it",
    "municipalities/data_version.py": "the database's own id (its oid) in every cache key",
    "config/backup.py": "a consistent snapshot and row counts of every table for the backup's check",
    "config/health.py": "SELECT 1: is the database answering",
    "config/services.py": "creating the embedded server's database",
}
RAW_SQL = ("cursor(", ".raw(", "RawSQL", ".extra(")
APPS = ("municipalities", "indicators", "goals", "dashboard", "reports", "config")


def raw_sql_files(root: Path = ROOT) -> list[str]:
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            if any(mark in path.read_text(encoding="utf-8") for mark in RAW_SQL):
                found.append(str(path.relative_to(root)))
    return sorted(found)


def test_sql_is_written_by_hand_only_where_a_reason_is_given():
    assert raw_sql_files() == sorted(RAW_SQL_ALLOWED)


def test_the_check_sees_sql_written_by_hand(tmp_path):
    for app in APPS:
        (tmp_path / app).mkdir()
    (tmp_path / "dashboard" / "views.py").write_text("with connection.cursor() as c:\n    c.execute('SELECT 1')\n")
    (tmp_path / "goals" / "migrations").mkdir()
    (tmp_path / "goals" / "migrations" / "0001.py").write_text("cursor()\n")
    assert raw_sql_files(tmp_path) == ["dashboard/views.py"]
