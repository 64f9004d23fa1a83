"""Every export, .csv and .xlsx, on the demo data with its text made to look like formulas.

Each free-text field of every record (titles, comments, descriptions, names, references) is
given a leading `=`, `+`, `-` or `@`, the characters a spreadsheet reads as the start of a
formula. Every export URL is then fetched: no .xlsx cell may be a formula, and no .csv cell may
start with such a character unless it is a number. Each export must also show some of the
altered text (escaped), so a page that stopped exporting its text would not pass unnoticed.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import models, transaction
from django.db.models.functions import Concat
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from nct_monitor.exports import unescape_csv_cell
from tests.test_authorisation_matrix import _world

pytestmark = pytest.mark.django_db

PREFIXES = ("=", "+", "-", "@")
DANGEROUS = ("=", "+", "-", "@", "|", "%")
NUMBER = re.compile(r"^-?[0-9,.]+$")
APPS = ("contracts", "kpis", "risks", "savings", "committee", "nct_monitor", "auth")
# Exports that write their own layout rather than a table's: (url name, kwargs, formats).
OWN_LAYOUTS = [
    ("savings:tracker_export", {"year": 2023, "period": 9, "fmt": "csv"}, "csv"),
    ("savings:tracker_export", {"year": 2023, "period": 9, "fmt": "xlsx"}, "xlsx"),
    ("risks:risk_export", {}, "xlsx"),
]
# Names the product looks records up by, which must stay as they are.
KEPT = (Group, Permission)
# Tables that show no free text at all, only dates, numbers and states.
NO_FREE_TEXT = {"period_list"}


def _walk(patterns: list[Any], namespace: str | None = None) -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern


def table_exports() -> list[str]:
    """Every URL whose view offers its table for export."""
    return sorted(
        name
        for name, pattern in _walk(get_resolver().url_patterns)
        if getattr(getattr(pattern.callback, "view_class", None), "export_formats", None)
    )


def _make_text_look_like_formulas() -> None:
    index = 0
    for config in (apps.get_app_config(label) for label in APPS):
        for model in config.get_models():
            if model._meta.proxy or model.__name__.startswith("Historical") or model in KEPT:
                continue
            fields = [
                field
                for field in model._meta.concrete_fields
                if isinstance(field, models.CharField | models.TextField)
                and not field.choices
                and not field.primary_key
                and field.name not in ("password", "username", "sha256", "file")
                and not isinstance(field, models.FileField)
            ]
            for field in fields:
                prefix = PREFIXES[index % len(PREFIXES)]
                index += 1
                model.objects.exclude(**{field.name: ""}).update(
                    **{field.name: Concat(models.Value(prefix), field.name)}
                )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict[str, Any]]:
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
    ):
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", password="a-long-test-password", verbosity=0, stdout=quiet)
        kwargs = _world()["kwargs"]
        _make_text_look_like_formulas()
        yield kwargs
        transaction.set_rollback(True)


@pytest.fixture
def admin_client_(world) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def _urls(world: dict[str, Any]) -> list[tuple[str, str, str]]:
    urls = []
    for name in table_exports():
        base = reverse(name, kwargs=world.get(name, {}))
        urls += [(name, f"{base}?_export={fmt}", fmt) for fmt in ("csv", "xlsx")]
    for name, kwargs, fmt in OWN_LAYOUTS:
        urls.append((name, reverse(name, kwargs=kwargs), fmt))
    return urls


def _cells(content: bytes, fmt: str) -> list[tuple[Any, str]]:
    """(value, type) for every cell: type `f` is a formula."""
    if fmt == "csv":
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        return [(cell, "s") for row in rows for cell in row]
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [(cell.value, cell.data_type) for row in sheet.iter_rows() for cell in row]


def test_every_export_url_is_checked():
    # A new list page with exports is covered by the walk; this pins the count so that a change
    # in how exports are found cannot quietly check nothing.
    assert len(table_exports()) >= 15
    assert "kpis:scorecard" in table_exports()


def test_every_export_writes_formula_like_text_as_text(world, admin_client_):
    problems = []
    for name, url, fmt in _urls(world):
        response = admin_client_.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        cells = _cells(response.content, fmt)
        formulas = [value for value, kind in cells if kind == "f"]
        raw = [
            value
            for value, _kind in cells
            if fmt == "csv" and value[:1] in DANGEROUS and not NUMBER.match(value)
        ]
        if formulas or raw:
            problems.append(f"{url}: written as formulas: {(formulas + raw)[:3]}")
        if fmt == "csv":
            shown = [
                value
                for value, _ in cells
                if value[:1] == "'" and value != unescape_csv_cell(value)
            ]
        else:
            shown = [
                value for value, _ in cells if isinstance(value, str) and value[:1] in PREFIXES
            ]
        if not shown and name not in NO_FREE_TEXT:
            problems.append(f"{url}: shows none of the formula-like text")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "text", ["=1+2", "+44 1604", "-x", "@SUM(A1)", "|cmd", "%0A", "=a|b\\|c", "-12.5", "'=kept"]
)
def test_a_csv_cell_written_and_read_back_is_unchanged_and_never_a_formula(text):
    from nct_monitor.exports import csv_text

    written = next(csv.reader(io.StringIO(csv_text([[text]]))))[0]

    assert written[:1] not in DANGEROUS or NUMBER.match(written)
    if text != "'=kept":
        assert unescape_csv_cell(written) == text
