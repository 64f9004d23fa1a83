from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from committee.models import Meeting
from nct_monitor.tables import BaseTable


class MeetingTable(BaseTable):
    date = tables.DateColumn(
        format="j F Y",
        verbose_name="Date",
        linkify=lambda record: reverse("committee:meeting_detail", args=[record.pk]),
    )
    committee = tables.Column(verbose_name="Committee")
    venue = tables.Column(verbose_name="Venue")
    status = tables.Column(verbose_name="Status")
    packs = tables.Column(
        verbose_name="Published packs", accessor="pk", orderable=False, exclude_from_export=True
    )

    class Meta(BaseTable.Meta):
        model = Meeting
        fields = ("date", "committee", "venue", "status", "packs")

    def render_packs(self, record: Any) -> str:
        packs = getattr(record, "published_packs", [])
        if not packs:
            return "None"
        return format_html_join(
            ", ",
            '<a class="govuk-link" href="{}">{} pack v{}</a>',
            (
                (
                    reverse("committee:pack_download", args=[p.pk]),
                    p.get_variant_display().split(" ")[0],
                    p.version,
                )
                for p in packs
            ),
        )

    def render_status(self, record: Any) -> str:
        colour = "green" if record.status == "published" else "grey"
        return format_html(
            '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
            colour,
            record.get_status_display(),
        )
