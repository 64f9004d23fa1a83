"""Users: the list, adding and changing a user, a password link; and everyone's own password.

Only administrators (who hold Django's `auth` permissions) reach the users pages. Changing
one's own password and the emailed reset are Django's own views, in the product's layout.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.views import View

from nct_monitor.generic import ObjectListView, ServiceFormView
from nct_monitor.roles import role_of
from people import selectors, services, two_factor
from people.filters import UserFilterSet
from people.forms import UserAddForm, UserChangeForm
from people.tables import UserTable

USERS = ("Users", reverse_lazy("people:user_list"))


class UserListView(ObjectListView):
    permission_required = "auth.view_user"
    filterset_class = UserFilterSet
    table_class = UserTable
    title = "Users"
    export_name = "users"
    intro = (
        "Everyone who can sign in to NCT Monitor, with their role. A deactivated account "
        "keeps its history but cannot sign in."
    )

    def get_queryset(self) -> QuerySet[User]:
        return selectors.user_queryset()

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [("Add a user", reverse("people:user_add"), "auth.add_user")]


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


class UserAddView(ServiceFormView):
    permission_required = "auth.add_user"
    form_class = UserAddForm
    title = "Add a user"
    submit_label = "Add the user and email them a link"
    breadcrumbs = [USERS]
    cancel_url = reverse_lazy("people:user_list")

    def perform(self, form: BaseForm) -> User:
        user = services.create_user(
            username=form.cleaned_data["username"], person=form.person(), by=self.request.user
        )
        services.send_password_link(
            user=user, by=self.request.user, base_url=_base_url(self.request)
        )
        return user

    def get_success_message(self, result: User) -> str:
        return (
            f"{result.username} was added. A link to set their password was sent to {result.email}."
        )

    def get_success_url(self) -> str:
        return reverse("people:user_list")


class UserEditView(ServiceFormView):
    permission_required = "auth.change_user"
    form_class = UserChangeForm
    template_name = "people/user_form.html"
    submit_label = "Save"
    breadcrumbs = [USERS]
    cancel_url = reverse_lazy("people:user_list")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.user = get_object_or_404(User, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return f"Change {self.user.get_full_name() or self.user.username}"

    def get_initial(self) -> dict[str, Any]:
        return {
            "first_name": self.user.first_name,
            "last_name": self.user.last_name,
            "email": self.user.email,
            "role": role_of(self.user),
            "is_active": self.user.is_active,
        }

    def perform(self, form: BaseForm) -> User:
        return services.update_user(user=self.user, person=form.person(), by=self.request.user)

    def get_success_message(self, result: User) -> str:
        return f"{result.username} was saved."

    def get_success_url(self) -> str:
        return reverse("people:user_list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["person"] = self.user
        context["two_factor"] = two_factor.confirmed_device(self.user)
        context["two_factor_required"] = two_factor.required_for(self.user)
        context["changes"] = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(self.user.pk)
        ).select_related("user")[:20]
        return context


class PasswordLinkView(PermissionRequiredMixin, View):
    """POST only: email the user a link to set a new password."""

    permission_required = "auth.change_user"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_object_or_404(User, pk=pk)
        try:
            services.send_password_link(user=user, by=request.user, base_url=_base_url(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"A link to set a new password was sent to {user.email}.")
        return HttpResponseRedirect(reverse("people:user_edit", kwargs={"pk": user.pk}))


class TwoFactorResetView(PermissionRequiredMixin, View):
    """POST only: remove the user's authenticator app (a lost phone)."""

    permission_required = "auth.change_user"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = get_object_or_404(User, pk=pk)
        if services.reset_two_factor(user=user, by=request.user):
            messages.success(
                request,
                f"Two-factor sign-in was reset for {user.get_full_name() or user.username}: "
                "they set it up again when they next sign in.",
            )
        else:
            messages.info(request, "Two-factor sign-in was not set up for this user.")
        return HttpResponseRedirect(reverse("people:user_edit", kwargs={"pk": user.pk}))


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    title = "Change your password"
    extra_context = {"submit_label": "Change the password", "cancel_url": reverse_lazy("home")}
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, "Your password was changed.")
        return super().form_valid(form)
