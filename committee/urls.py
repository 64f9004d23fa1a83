from __future__ import annotations

from django.urls import path

from committee import views

app_name = "committee"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("committees/<int:pk>/", views.CommitteeDetailView.as_view(), name="committee_detail"),
    path("committees/<int:pk>/edit/", views.CommitteeFormView.as_view(), name="committee_edit"),
    path(
        "committees/<int:committee>/members/add/", views.MemberFormView.as_view(), name="member_add"
    ),
    path(
        "committees/<int:committee>/members/<int:pk>/edit/",
        views.MemberFormView.as_view(),
        name="member_edit",
    ),
    path(
        "committees/<int:committee>/meetings/add/",
        views.MeetingFormView.as_view(),
        name="meeting_add",
    ),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingFormView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/packs/", views.PackPanelView.as_view(), name="pack_panel"),
    path("meetings/<int:pk>/packs/build/", views.PackBuildView.as_view(), name="pack_build"),
    path(
        "meetings/<int:meeting>/items/add/",
        views.AgendaItemFormView.as_view(),
        name="agendaitem_add",
    ),
    path(
        "meetings/<int:meeting>/items/<int:pk>/edit/",
        views.AgendaItemFormView.as_view(),
        name="agendaitem_edit",
    ),
    path(
        "meetings/<int:meeting>/items/<int:pk>/delete/",
        views.AgendaItemDeleteView.as_view(),
        name="agendaitem_delete",
    ),
    path("meetings/<int:meeting>/minutes/", views.MinutesFormView.as_view(), name="minutes_edit"),
    path(
        "meetings/<int:meeting>/minutes/items/add/",
        views.MinuteItemFormView.as_view(),
        name="minuteitem_add",
    ),
    path(
        "meetings/<int:meeting>/minutes/items/<int:pk>/edit/",
        views.MinuteItemFormView.as_view(),
        name="minuteitem_edit",
    ),
    path("items/<int:item>/report/add/", views.ReportFormView.as_view(), name="report_add"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/edit/", views.ReportFormView.as_view(), name="report_edit"),
    path("reports/<int:pk>/pdf/", views.ReportPdfView.as_view(), name="report_pdf"),
    path("reports/<int:pk>/final/", views.ReportFinalView.as_view(), name="report_final"),
    path(
        "reports/<int:report>/sections/add/",
        views.SectionFormView.as_view(),
        name="reportsection_add",
    ),
    path(
        "reports/<int:report>/sections/<int:pk>/edit/",
        views.SectionFormView.as_view(),
        name="reportsection_edit",
    ),
    path(
        "reports/<int:report>/sections/<int:pk>/delete/",
        views.SectionDeleteView.as_view(),
        name="reportsection_delete",
    ),
    path(
        "reports/<int:report>/appendices/add/",
        views.AppendixFormView.as_view(),
        name="reportappendix_add",
    ),
    path(
        "reports/<int:report>/appendices/<int:pk>/delete/",
        views.AppendixDeleteView.as_view(),
        name="reportappendix_delete",
    ),
    path("packs/<int:pk>/publish/", views.PackPublishView.as_view(), name="pack_publish"),
    path("packs/<int:pk>/discard/", views.PackDiscardView.as_view(), name="pack_discard"),
    path("packs/<int:pk>/download/", views.PackDownloadView.as_view(), name="pack_download"),
    path("packs/<int:pk>/history/", views.PackHistoryView.as_view(), name="pack_history"),
]
