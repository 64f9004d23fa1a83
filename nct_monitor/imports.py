"""The upload, run, confirm and cancel pages, under their first path; they live in
`nct_monitor.importing.views`."""

from __future__ import annotations

from nct_monitor.importing.views import (
    ImportCancelView,
    ImportConfirmView,
    ImportRunListView,
    ImportRunMixin,
    ImportRunView,
    ImportUploadForm,
    ImportUploadView,
)

__all__ = [
    "ImportCancelView",
    "ImportConfirmView",
    "ImportRunListView",
    "ImportRunMixin",
    "ImportRunView",
    "ImportUploadForm",
    "ImportUploadView",
]
