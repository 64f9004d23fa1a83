"""The base table every list in the product uses, and columns for money.

Every table is a django-tables2 `Table` built on `BaseTable`: GOV.UK markup, sorting, and the
xlsx/csv export that `ObjectListView` offers. Money columns print £ or £m on the page but export
the exact Decimal, so an exported sheet adds up to the penny. The councils' parts of an amount
come split from the selectors; no table splits money itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.template import Context
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from nct_monitor.finance import format_millions, format_pounds, format_thousands
from nct_monitor.importing.registry import IMPORTERS


def _add_class(attrs: dict[str, Any], key: str, css: str) -> None:
    part = dict(attrs.get(key, {}))
    part["class"] = " ".join(c for c in (part.get("class", ""), css) if c)
    attrs[key] = part


class BaseTable(tables.Table):
    """A GOV.UK-styled table. `caption` names it for screen readers."""

    caption: str | None = None

    class Meta:
        template_name = "django_tables2/govuk.html"
        attrs = {"class": "govuk-table"}
        row_attrs = {"class": "govuk-table__row"}

    def __init__(self, *args: Any, caption: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if caption is not None:
            self.caption = caption
        for bound in self.columns:
            column = bound.column
            numeric = getattr(column, "numeric", False)
            attrs = dict(column.attrs)
            _add_class(attrs, "th", "govuk-table__header")
            _add_class(attrs, "td", "govuk-table__cell")
            _add_class(attrs, "tf", "govuk-table__cell")
            if numeric:
                _add_class(attrs, "th", "govuk-table__header--numeric")
                _add_class(attrs, "td", "govuk-table__cell--numeric")
                _add_class(attrs, "tf", "govuk-table__cell--numeric")
            column.attrs = attrs

    def action_links(self, *items: tuple[str, str, str, str]) -> SafeString:
        """A row's action links that the user may use: (label, url, permission, what it is
        about, for screen readers), each a 24px target (`.nct-row-actions`)."""
        # has_perm caches the user's permissions after the first call, so this asks once a page.
        user = getattr(getattr(self, "request", None), "user", None)
        allowed = [
            (url, label, about)
            for label, url, permission, about in items
            if user is not None and user.has_perm(permission)
        ]
        links = format_html_join(
            " ",
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
            allowed,
        )
        return format_html('<span class="nct-row-actions">{}</span>', links)


def body_rows(table: tables.Table, context: Context) -> SafeString:
    """The `<tr>` of every row of a table's page, each cell as the template would print it.

    Built here rather than in the template because a template tag per cell, and
    django-tables2 rebuilding each column's `td` attributes per cell, were most of the cost
    of a long table. A column whose `td` attributes are computed from the record still gets
    them per cell.
    """
    columns = list(table.columns)
    fixed = [
        None if _record_dependent(table, column) else column.attrs["td"].as_html()
        for column in columns
    ]
    rows = []
    for row in table.paginated_rows:
        cells = []
        for index, (column, cell) in enumerate(row.items()):
            attrs = fixed[index]
            if attrs is None:
                attrs = column.attrs["td"].as_html()
            if column.localize is None:
                text = render_value_in_context(cell, context)
            else:
                text = conditional_escape(localize(cell, use_l10n=column.localize))
            cells.append(f"<td {attrs}>{text}</td>")
        rows.append(f"<tr {row.attrs.as_html()}>{''.join(cells)}</tr>")
    return mark_safe("\n".join(rows))  # every part is escaped or already safe above


def _record_dependent(table: tables.Table, column: Any) -> bool:
    """Whether a column's `td` attributes are computed per record (callables in its attrs)."""
    sources = (table.attrs or {}, column.column.attrs or {})
    return any(
        callable(value)
        for attrs in sources
        for key in ("td", "cell")
        for value in (attrs.get(key) or {}).values()
    )


class MoneyColumn(tables.Column):
    """Pounds and pence (£1,247,000.00) on the page; the exact Decimal in exports."""

    numeric = True

    def render(self, value: Decimal) -> str:
        return format_pounds(value)

    def value(self, value: Decimal) -> Decimal:
        return value


class MillionsColumn(MoneyColumn):
    """£m with 3 decimals (£29.670m) on the page; the exact Decimal in exports."""

    def render(self, value: Decimal) -> str:
        return format_millions(value)


class ThousandsColumn(MoneyColumn):
    """£'000 as the savings tables print it; the exact Decimal in exports."""

    def render(self, value: Decimal) -> str:
        return format_thousands(value)


class CouncilPartColumn(MoneyColumn):
    """One council's part of an amount, read from the row's `parts_of` mapping.

    The selector that built the row split the amount with `apportion`; the column only
    prints the part it is given, so a table can never split differently from a report.
    """

    def __init__(self, council: str, *, parts_of: str, **kwargs: Any) -> None:
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ())
        super().__init__(**kwargs)
        self.council = council
        self.parts_of = parts_of

    def part(self, record: Any) -> Decimal | None:
        parts = tables.A(self.parts_of).resolve(record) or {}
        return parts.get(self.council)  # type: ignore[no-any-return]

    def render(self, record: Any) -> str:  # type: ignore[override]
        return format_pounds(self.part(record))

    def value(self, record: Any) -> Decimal | None:  # type: ignore[override]
        return self.part(record)


class CouncilPartsTable(BaseTable):
    """A table with a column per council for its part of `parts_of` (set by each table)."""

    parts_of: str = ""
    parts_label: str = "share"
    # Shown on the page, or only in exports when the page shows the parts elsewhere.
    parts_visible: bool = True
    sequence: Any  # django-tables2's column order (a property the stubs do not know)

    def __init__(self, *args: Any, councils: Sequence[str] = (), **kwargs: Any) -> None:
        extra = list(kwargs.pop("extra_columns", None) or [])
        for council in councils:
            extra.append(
                (
                    f"part_{council.lower()}",
                    CouncilPartColumn(
                        council,
                        parts_of=self.parts_of,
                        verbose_name=f"{council} {self.parts_label}",
                        visible=self.parts_visible,
                    ),
                )
            )
        super().__init__(*args, extra_columns=extra, **kwargs)
        # The councils' columns go before the notes and links, beside the amount they split.
        tail = [
            name
            for name in ("status", "notes", "note", "source", "check", "actions")
            if name in self.columns
        ]
        self.sequence = [name for name in self.sequence if name not in tail] + tail


class PeriodTable(BaseTable):
    """Periods with their status and what the signed-in user may do with each.

    The cells are built in Python rather than from a template each: a template render per cell
    was most of the cost of the page.
    """

    label = tables.Column(
        verbose_name="Period", accessor="number", order_by=("year__start_year", "number")
    )
    month = tables.Column(verbose_name="Month", accessor="number", orderable=False)
    status = tables.Column(verbose_name="Status")
    status_changed = tables.Column(
        verbose_name="Last signed off or reopened",
        accessor="status_changed_at",
        orderable=False,
        empty_values=(),
    )
    actions = tables.Column(
        verbose_name="Actions",
        accessor="pk",
        orderable=False,
        exclude_from_export=True,
        empty_values=(),
    )

    class Meta(BaseTable.Meta):
        fields = ("label", "month", "status", "status_changed", "actions")

    def render_label(self, record: Any) -> str:
        return record.label

    def value_label(self, record: Any) -> str:
        return record.label

    def render_month(self, record: Any) -> str:
        return record.month_label

    def render_status(self, record: Any) -> SafeString:
        if record.is_signed_off:
            return mark_safe('<strong class="govuk-tag govuk-tag--grey">Signed off</strong>')
        return mark_safe('<strong class="govuk-tag govuk-tag--green">Open</strong>')

    def value_status(self, record: Any) -> str:
        return record.get_status_display()

    def render_status_changed(self, record: Any) -> str:
        if record.status_changed_at is None:
            return "—"
        when = dateformat.format(localtime(record.status_changed_at), "j M Y H:i")
        return f"{when} by {record.status_changed_by}" if record.status_changed_by else when

    def value_status_changed(self, record: Any) -> str:
        if record.status_changed_at is None:
            return ""
        return f"{record.status_changed_at:%Y-%m-%d %H:%M} {record.status_changed_by or ''}".strip()

    def render_actions(self, record: Any) -> SafeString:
        def link(label: str, name: str, permission: str, about: str) -> tuple[str, str, str, str]:
            return (label, reverse(name, args=[record.pk]), f"nct_monitor.{permission}", about)

        history = link("History", "period_history", "view_period", f"of {record.label}")
        if record.is_signed_off:
            change = link("Reopen", "period_reopen", "reopen_period", record.label)
        elif record.has_ended:
            change = link("Sign off", "period_sign_off", "sign_off_period", record.label)
        else:
            # A period still running is not offered for sign-off.
            return self.action_links(history)
        return self.action_links(change, history)


class ImportRunTable(BaseTable):
    filename = tables.Column(verbose_name="File")
    kind = tables.Column(verbose_name="Return")
    status = tables.Column(verbose_name="Status")
    issue_count = tables.Column(verbose_name="Problems", accessor="issues", orderable=False)
    uploaded_by = tables.Column(verbose_name="Uploaded by")
    created_at = tables.DateTimeColumn(verbose_name="Uploaded", format="j M Y H:i")

    class Meta(BaseTable.Meta):
        fields = ("filename", "kind", "status", "issue_count", "uploaded_by", "created_at")

    def render_filename(self, record: Any, value: str) -> str:
        # A run's page is for those who may import that kind of return (it offers to confirm
        # it); others see the list, from the overview's data-quality panel, without a link.
        importer = IMPORTERS.get(record.kind)
        user = getattr(getattr(self, "request", None), "user", None)
        if importer is None or user is None or not user.has_perm(importer.permission):
            return value
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', reverse("import_run", args=[record.pk]), value
        )

    def render_status(self, record: Any, value: str) -> str:
        # A run whose worker has stopped is failed, whatever it is still marked.
        stopped = record.stopped()
        if stopped:
            return format_html('Failed<br><span class="govuk-body-s">{}</span>', stopped)
        return value

    def value_status(self, record: Any, value: str) -> str:
        return "Failed" if record.stopped() else value

    def render_kind(self, record: Any) -> str:
        importer = IMPORTERS.get(record.kind)
        return importer.title if importer else record.kind

    def render_issue_count(self, value: list[Any]) -> str:
        return str(len(value))

    def value_issue_count(self, value: list[Any]) -> int:
        return len(value)
