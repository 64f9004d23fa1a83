"""An uploaded return never reaches a signed-off period: not when it is uploaded for one, and
not when its period is signed off between the preview and the confirm."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from nct_monitor import services
from nct_monitor.choices import ImportStatus
from nct_monitor.models import ImportRun
from savings.importers import COLUMNS
from savings.models import SavingsLine, SavingsPosition
from tests.factories import period
from tests.spreadsheets import xlsx

pytestmark = pytest.mark.django_db

P9 = {"year": "2023/24", "period": 9}
SIGNED_OFF = (
    "2023/24 P9 is signed off, so its data cannot be changed. An administrator can reopen it, "
    "giving a reason."
)


def upload() -> SimpleUploadedFile:
    data = xlsx([COLUMNS, ["S1", "Review of Contracts", "", "NCT", 100, 0, 0, 100, 0, ""]])
    return SimpleUploadedFile("p9.xlsx", data)


def sign_off_p9(user) -> None:
    services.sign_off_period(period=period("2023/24 P9"), user=user, exceptions_reason="Test")


def test_a_return_uploaded_for_a_signed_off_period_is_refused(contract, officer):
    sign_off_p9(officer)

    run = services.start_import(kind="savings", upload=upload(), params=P9, user=officer)

    assert run.status == ImportStatus.REFUSED
    assert [issue["message"] for issue in run.issues] == [SIGNED_OFF]
    assert not SavingsLine.objects.exists()


def test_a_return_whose_period_is_signed_off_after_its_preview_is_not_imported(contract, officer):
    run = services.start_import(kind="savings", upload=upload(), params=P9, user=officer)
    assert run.status == ImportStatus.PREVIEWED
    sign_off_p9(officer)

    run = services.confirm_import(run=run, user=officer)

    assert run.status == ImportStatus.REFUSED
    assert [issue["message"] for issue in run.issues] == [SIGNED_OFF]
    assert not SavingsLine.objects.exists() and not SavingsPosition.objects.exists()


def test_cancelling_writes_only_the_upload_s_own_record(contract, officer):
    run = services.start_import(kind="savings", upload=upload(), params=P9, user=officer)
    sign_off_p9(officer)

    services.cancel_import(run=run, user=officer)

    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.CANCELLED
    with pytest.raises(ValidationError, match="Only a return waiting to be confirmed"):
        services.cancel_import(run=run, user=officer)
