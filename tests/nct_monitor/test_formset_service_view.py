"""A page of rows handed to a service: its refusal is shown above the rows, its success
redirects with a message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from nct_monitor.concurrency import EditConflict
from nct_monitor.generic import FormsetServiceView


class RowForm(forms.Form):
    amount = forms.IntegerField()


RowFormSet = forms.formset_factory(RowForm, extra=0)
POSTED = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "form-0-amount": "1"}


class RowsView(FormsetServiceView):
    permission_required = ()
    template_name = "unused.html"
    refusal: ValidationError | None = None

    def get_formset(self, data: Any = None) -> Any:
        return RowFormSet(data, initial=[{"amount": 1}, {"amount": 2}])

    def perform(self, formset: Any) -> int:
        if self.refusal is not None:
            raise self.refusal
        return sum(form.cleaned_data["amount"] for form in formset.forms)

    def get_success_message(self, result: int) -> str:
        return f"Saved {result}."

    def get_success_url(self) -> str:
        return "/rows/"


def post(data: dict[str, str], **attributes: Any) -> Any:
    request = RequestFactory().post("/rows/", data)
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return RowsView.as_view(**attributes)(request), request


def test_valid_rows_go_to_the_service_and_redirect_with_its_message():
    response, request = post({**POSTED, "form-1-amount": "2"})
    assert (response.status_code, response.url) == (302, "/rows/")
    assert [str(message) for message in get_messages(request)] == ["Saved 3."]


def test_a_service_refusal_is_shown_above_the_rows_and_nothing_redirects():
    response, request = post(
        {**POSTED, "form-1-amount": "2"}, refusal=ValidationError("Not this year.")
    )
    assert response.status_code == 200
    assert response.context_data["formset"].non_form_errors() == ["Not this year."]
    assert list(get_messages(request)) == []


def test_an_edit_conflict_is_shown_above_the_rows_with_the_conflict_in_the_context():
    conflict = EditConflict([])
    response, _ = post({**POSTED, "form-1-amount": "2"}, refusal=conflict)
    assert response.status_code == 200
    assert response.context_data["conflict"] is conflict
    assert response.context_data["formset"].non_form_errors() == conflict.messages


def test_invalid_rows_never_reach_the_service():
    response, _ = post(POSTED, refusal=ValidationError("Never raised."))
    formset = response.context_data["formset"]
    assert formset.errors[1] == {"amount": ["This field is required."]}
    assert formset.non_form_errors() == []
