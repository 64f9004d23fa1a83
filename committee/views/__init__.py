"""Committee pages: meetings and agendas, reports, minutes, and building and publishing packs.

One module per part: `meetings` (the list, a meeting's details and page), `committees` (the
committee and its members), `agenda` (agenda items), `reports` (reports, their sections and
appendices), `minutes` and `packs` (building, publishing and downloading agenda packs).
"""

from committee.views.agenda import AgendaItemDeleteView, AgendaItemFormView
from committee.views.committees import CommitteeDetailView, CommitteeFormView, MemberFormView
from committee.views.meetings import MeetingDetailView, MeetingFormView, MeetingListView
from committee.views.minutes import MinuteItemFormView, MinutesFormView
from committee.views.packs import (
    PackBuildView,
    PackDiscardView,
    PackDownloadView,
    PackHistoryView,
    PackPanelView,
    PackPublishView,
)
from committee.views.reports import (
    AppendixDeleteView,
    AppendixFormView,
    ReportDetailView,
    ReportFinalView,
    ReportFormView,
    ReportPdfView,
    SectionDeleteView,
    SectionFormView,
)

__all__ = [
    "AgendaItemDeleteView",
    "AgendaItemFormView",
    "AppendixDeleteView",
    "AppendixFormView",
    "CommitteeDetailView",
    "CommitteeFormView",
    "MeetingDetailView",
    "MeetingFormView",
    "MeetingListView",
    "MemberFormView",
    "MinuteItemFormView",
    "MinutesFormView",
    "PackBuildView",
    "PackDiscardView",
    "PackDownloadView",
    "PackHistoryView",
    "PackPanelView",
    "PackPublishView",
    "ReportDetailView",
    "ReportFinalView",
    "ReportFormView",
    "ReportPdfView",
    "SectionDeleteView",
    "SectionFormView",
]
