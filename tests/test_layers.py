"""The layers of the code: the core imports no app, and reads never import writes.

`nct_monitor` is the core every app builds on (periods, roles, the record, shared views), so
it imports none of them; what it needs from them, each app declares in its AppConfig. The
overview sits on top and reads every app. In every app, selectors (reads) never import
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
