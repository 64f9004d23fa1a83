"""Two-factor sign-in: a time-based one-time password (TOTP) from an authenticator app.

Administrators and contract officers, who can change the record, need a code from their app
as well as their password when NCT_TWO_FACTOR is on (it is by default in production). Each
sets it up in the product: the set-up page shows a QR code (and its key, to type in) for any
authenticator app, and taking it needs one code from the app. From then on, signing in asks
for the code the app shows. Someone who loses their phone asks an administrator, who resets
it on the person's page; they set it up again at their next sign-in.

`django-otp` does the cryptography, the device records and the throttling of wrong codes;
this module decides who must use it and leads them through.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from nct_monitor.roles import ADMINISTRATOR, OFFICER, role_of
from people import services

# Pages a signed-in user who still owes a code may reach: these, to give it, and signing out.
OPEN_PREFIXES = ("/login/code/", "/account/two-factor/", "/logout/", "/static/", "/health/")
MUST_USE = (ADMINISTRATOR, OFFICER)
THROTTLE_SAID_AFTER = 3


def switched_on() -> bool:
    return bool(getattr(settings, "NCT_TWO_FACTOR", False))


def required_for(user: User | AnonymousUser) -> bool:
    """Whether `user` must give a code to use the product: administrators and officers, and
    anyone else who has set up an app."""
    if not switched_on() or not user.is_authenticated:
        return False
    assert isinstance(user, User)
    return bool(
        user.is_superuser or role_of(user) in MUST_USE or confirmed_device(user) is not None
    )


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class TwoFactorMiddleware:
    """Send a user who must give a code, and has not yet this session, to give it (or to set
    up their app first), then back where they were going."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        owed = required_for(user) and not user.is_verified()  # type: ignore[union-attr]
        # Read by the navigation, which offers no page while a code is owed.
        request.code_still_owed = owed  # type: ignore[attr-defined]
        if owed and not request.path_info.startswith(OPEN_PREFIXES):
            assert isinstance(user, User)
            name = "two_factor_verify" if confirmed_device(user) else "two_factor_setup"
            return HttpResponseRedirect(
                f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 digits the app shows now, for NCT Monitor.",
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-5",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows.")
        return code


class _CodeView(LoginRequiredMixin, FormView):
    form_class = CodeForm
    template_name = "people/two_factor.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not switched_on():
            messages.info(request, "Two-factor sign-in is not switched on for NCT Monitor.")
            return HttpResponseRedirect(resolve_url("home"))
        return super().dispatch(request, *args, **kwargs)

    def next_url(self) -> str:
        wanted = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return wanted
        return resolve_url("home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(next=self.next_url(), **kwargs)


class VerifyView(_CodeView):
    """The second step of signing in: the code from the app."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not confirmed_device(request.user):  # type: ignore[arg-type]
            return HttpResponseRedirect(
                f"{reverse('two_factor_setup')}?{urlencode({'next': self.next_url()})}"
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title="Enter the code from your authenticator app",
            submit_label="Continue",
            verifying=True,
            **kwargs,
        )

    def form_valid(self, form: CodeForm) -> HttpResponse:
        device = match_token(self.request.user, form.cleaned_data["code"])
        if device is None:
            form.add_error("code", _wrong_code(self.request.user))  # type: ignore[arg-type]
            return self.form_invalid(form)
        otp_login(self.request, device)
        return HttpResponseRedirect(self.next_url())


class SetUpView(_CodeView):
    """Setting up an authenticator app: scan the QR code, then give one code from the app."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and confirmed_device(user)  # type: ignore[arg-type]
            and not user.is_verified()  # type: ignore[attr-defined]
        ):
            # Replacing the app needs the code from the one set up: a password alone is not
            # enough to take over someone's second factor.
            return HttpResponseRedirect(
                f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}"
            )
        return super().dispatch(request, *args, **kwargs)

    def device(self) -> TOTPDevice:
        return services.pending_two_factor_device(user=self.request.user)  # type: ignore[arg-type]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        device = self.device()
        key = b32encode(device.bin_key).decode()
        return super().get_context_data(
            title="Set up two-factor sign-in",
            submit_label="Set up",
            qr_code=_qr_svg(device.config_url),
            key=" ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            already=confirmed_device(self.request.user),  # type: ignore[arg-type]
            required=required_for(self.request.user),
            **kwargs,
        )

    def form_valid(self, form: CodeForm) -> HttpResponse:
        device = services.confirm_two_factor_device(
            user=self.request.user,  # type: ignore[arg-type]
            device=self.device(),
            code=form.cleaned_data["code"],
        )
        if device is None:
            form.add_error("code", _wrong_code(self.request.user))  # type: ignore[arg-type]
            return self.form_invalid(form)
        otp_login(self.request, device)
        messages.success(
            self.request,
            "Two-factor sign-in is set up: from now on, signing in asks for a code from your app.",
        )
        return HttpResponseRedirect(self.next_url())


def _wrong_code(user: User) -> str:
    for device in TOTPDevice.objects.filter(user=user):
        # django-otp makes each wrong code wait twice as long as the one before (1 s, 2 s,
        # 4 s…); after a few, that is worth saying.
        allowed, _ = device.verify_is_allowed()
        if not allowed and device.throttling_failure_count >= THROTTLE_SAID_AFTER:
            return "Too many wrong codes in a row: wait a minute, then enter the code shown then."
    return (
        "That code is not right. Enter the 6 digits your authenticator app shows now, for "
        "NCT Monitor; check the time on your phone is right."
    )


def _qr_svg(text: str) -> SafeString:
    """`text` as a QR code, an inline SVG (no image file, no external request)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(text, image_factory=SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    # The image is decorative beside the key printed under it, which says the same.
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="QR code" ', 1))
