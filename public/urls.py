from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from public import views

app_name = "public"

# Every page here is open to anyone: the site-wide sign-in stops at this prefix.
urlpatterns = [
    path("", login_not_required(views.MeetingListView.as_view()), name="meeting_list"),
    path("meetings.ics", login_not_required(views.CalendarView.as_view()), name="calendar"),
    path("documents.atom", login_not_required(views.FeedView.as_view()), name="feed"),
    path(
        "meetings/<int:pk>/",
        login_not_required(views.MeetingDetailView.as_view()),
        name="meeting",
    ),
    path("packs/<int:pk>/", login_not_required(views.PackView.as_view()), name="pack"),
    path("reports/<int:pk>/", login_not_required(views.ReportView.as_view()), name="report"),
    path(
        "reports/<int:pk>/pdf/",
        login_not_required(views.ReportPdfView.as_view()),
        name="report_pdf",
    ),
]
