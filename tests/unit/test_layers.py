"""The apps are layered `municipalities ← indicators ← goals ← dashboard, reports`: each may import the ones before
it, never one after it nor its neighbour on the same layer, so that a lower layer can be read, tested and changed
without the screens above it. Read from the source with `ast`, so an import inside a function counts as much as one
at the top."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = {"municipalities": 0, "indicators": 1, "goals": 2, "dashboard": 3, "reports": 3}


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import in the file, at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            if node.module == "config":  # `from config import plotly_css`
                found += [(node.lineno, f"config.{alias.name}") for alias in node.names]
    return found


def upward_imports(root: Path = ROOT) -> list[str]:
    found = []
    for app, level in LAYERS.items():
        for path in sorted((root / app).rglob("*.py")):
            for lineno, module in _imported_modules(path):
                top = module.split(".")[0]
                if LAYERS.get(top, -1) > level:
                    found.append(f"{path.relative_to(root)}:{lineno} imports {module} (a layer above {app})")
                elif LAYERS.get(top) == level and top != app:
                    found.append(f"{path.relative_to(root)}:{lineno} imports {module} (beside {app})")
    return found


def test_no_app_imports_a_layer_above_it():
    assert upward_imports() == []


def test_the_check_sees_an_upward_import(tmp_path):
    for app in LAYERS:
        (tmp_path / app).mkdir()
    (tmp_path / "indicators" / "bad.py").write_text("def f():\n    from goals.models import Goal\n")
    (tmp_path / "goals" / "fine.py").write_text("from indicators import models\n")
    assert upward_imports(tmp_path) == ["indicators/bad.py:2 imports goals.models (a layer above indicators)"]


def upward_task_names(root: Path = ROOT) -> list[str]:
    """A lower app naming a higher app's module in a string ("goals.tasks.render_pending" for beat, a dotted path
    for Celery or Django): a dependency as real as an import, which the import check cannot see. Migrations are
    history. (A permission, "app.codename", has one dot and is not a module path: not looked at here.)"""
    found = []
    for app, level in LAYERS.items():
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                    continue
                top, _dot, rest = node.value.partition(".")
                if "." in rest and " " not in node.value and LAYERS.get(top, -1) > level:
                    found.append(f"{path.relative_to(root)}:{node.lineno} names {node.value} (a layer above {app})")
    return found


def test_no_app_names_a_higher_apps_task_or_module():
    assert upward_task_names() == []


def test_the_check_sees_a_task_named_upwards(tmp_path):
    for app in LAYERS:
        (tmp_path / app).mkdir()
    (tmp_path / "indicators" / "schedule.py").write_text('TASKS = [("x", "goals.tasks.render_pending")]\n')
    assert upward_task_names(tmp_path) == [
        "indicators/schedule.py:1 names goals.tasks.render_pending (a layer above indicators)"
    ]


APPS_AND_CONFIG = [*LAYERS, "config"]


def config_taken_by_apps(root: Path = ROOT) -> list[str]:
    """`config` is the project's wiring (settings, URLs, the run command) and its infrastructure (the cache's breaker,
    the embedded servers). An app may use a config module only when that module imports no app: infrastructure
    below every app, never a way round the layers."""
    found = []
    for app in LAYERS:
        for path in sorted((root / app).rglob("*.py")):
            for lineno, module in _imported_modules(path):
                if module.split(".")[0] != "config" or module == "config":
                    continue
                source = root / (module.replace(".", "/") + ".py")
                apps = sorted({m.split(".")[0] for _n, m in _imported_modules(source)} & set(LAYERS))
                if apps:
                    found.append(f"{path.relative_to(root)}:{lineno} imports {module}, which imports {', '.join(apps)}")
    return found


def test_apps_take_from_config_only_infrastructure_that_imports_no_app():
    assert config_taken_by_apps() == []


def test_the_check_sees_an_app_taking_wiring_from_config(tmp_path):
    for app in APPS_AND_CONFIG:
        (tmp_path / app).mkdir()
    (tmp_path / "config" / "cache.py").write_text("import redis\n")
    (tmp_path / "config" / "menu.py").write_text("def items():\n    from dashboard import views\n")
    (tmp_path / "municipalities" / "fine.py").write_text("from config.cache import RedisUnavailable\n")
    (tmp_path / "goals" / "bad.py").write_text("def f():\n    from config import menu\n")
    assert config_taken_by_apps(tmp_path) == ["goals/bad.py:2 imports config.menu, which imports dashboard"]
