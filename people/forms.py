"""The forms administrators use to add and change users."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from people.selectors import role_choices
from people.services import Person

ROLE_HELP = (
    "Contract officers enter and sign off the monthly data; committee members read it; clerks "
    "publish the committee papers; administrators do all of that and manage users."
)


class PersonForm(forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter their first name."}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter their last name."}
    )
    email = forms.EmailField(
        label="Email address",
        help_text="Where the link to set a password is sent.",
        error_messages={
            "required": "Enter their email address.",
            "invalid": "Enter an email address like name@example.gov.uk.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=role_choices,
        widget=forms.RadioSelect,
        help_text=ROLE_HELP,
        error_messages={"required": "Choose the user's role."},
    )

    def person(self, *, is_active: bool = True) -> Person:
        data: dict[str, Any] = self.cleaned_data
        return Person(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            role=data["role"],
            is_active=data.get("is_active", is_active),
        )


class UserAddForm(PersonForm):
    username = forms.CharField(
        label="Username",
        max_length=150,
        validators=[
            UnicodeUsernameValidator(
                message="Enter a username of letters, digits and @ . + - _ only, with no spaces."
            )
        ],
        error_messages={"required": "Enter a username."},
        help_text="What they sign in with: letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ["username", "first_name", "last_name", "email", "role"]


class UserChangeForm(PersonForm):
    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="Where a link to set a new password is sent.",
        error_messages={"invalid": "Enter an email address like name@example.gov.uk."},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    is_active = forms.BooleanField(
        label="Can sign in",
        required=False,
        help_text="Untick to deactivate the account: its history stays, but it cannot sign in.",
    )
