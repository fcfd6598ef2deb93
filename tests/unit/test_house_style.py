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
