"""The layers of the code: the core imports no app, apps read each other through selectors,
reads never import writes, and modules stay small enough to read.

`nct_monitor` is the core every app builds on (periods, roles, the record, shared views), so
it imports none of them; what it needs from them, each app declares in its AppConfig. The
overview sits on top and reads every app. An app uses another app's selectors only (its models
only for a foreign key, or for a type hint). In every app, selectors (reads) never import
services (writes).
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

from nct_monitor.product import product_labels

CORE = "nct_monitor"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def source_files(package: str) -> list[Path]:
    root = Path(settings.BASE_DIR) / package
    return [path for path in root.rglob("*.py") if "migrations" not in path.parts]


def test_the_core_imports_no_app():
    apps = set(product_labels()) - {CORE}
    found = {
        f"{path.relative_to(settings.BASE_DIR)} imports {module}"
        for path in source_files(CORE)
        for module in imported_modules(path)
        if module.split(".")[0] in apps
    }
    assert sorted(found) == []


def test_selectors_never_import_services():
    found = []
    for app in product_labels():
        for path in source_files(app):
            if path.stem != "selectors" and "selectors" not in path.parts:
                continue
            found += [
                f"{path.relative_to(settings.BASE_DIR)} imports {module}"
                for module in imported_modules(path)
                if module.split(".")[-1] == "services" or ".services." in f"{module}."
            ]
    assert found == []


def type_checking_lines(tree: ast.AST) -> set[int]:
    """The line numbers inside `if TYPE_CHECKING:` blocks: imports there are only for hints."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines |= set(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def other_app_imports(path: Path, own: str, apps: set[str]) -> list[str]:
    """What `path` imports from another app that is not that app's selectors."""
    tree = ast.parse(path.read_text(), filename=str(path))
    hints = type_checking_lines(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from committee import selectors` names the module it takes.
            if "." in node.module:
                names = [node.module]
            else:
                names = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] not in apps or parts[0] == own or node.lineno in hints:
                continue
            if "selectors" in parts[1:]:
                continue
            found.append(f"{path.relative_to(settings.BASE_DIR)} imports {name}")
    return found


def test_apps_read_other_apps_through_their_selectors_only():
    """Another app's models only for a foreign key (in models.py) or a type hint."""
    apps = set(product_labels()) - {CORE}
    found = []
    for app in sorted(apps):
        for path in source_files(app):
            if path.name == "models.py" or "models" in path.parent.parts[-1:]:
                continue
            found += other_app_imports(path, app, apps)
    assert found == []


MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def test_modules_and_functions_stay_small_enough_to_read():
    """A module over 600 lines becomes a package; a function over 80 lines becomes named steps."""
    found = []
    for app in sorted(product_labels()):
        for path in source_files(app):
            text = path.read_text()
            where = path.relative_to(settings.BASE_DIR)
            if text.count("\n") > MAX_MODULE_LINES:
                found.append(f"{where}: {text.count(chr(10))} lines")
            for node in ast.walk(ast.parse(text, filename=str(path))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    length = (node.end_lineno or node.lineno) - node.lineno + 1
                    if length > MAX_FUNCTION_LINES:
                        found.append(f"{where}:{node.lineno} {node.name}: {length} lines")
    assert found == []
