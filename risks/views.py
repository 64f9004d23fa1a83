"""The risk register's pages: register, heatmap, risk, review, actions, import and export."""

from __future__ import annotations

from itertools import takewhile
from typing import Any

from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from nct_monitor.charts import COLOURS, Chart, Series, line_chart
from nct_monitor.concurrency import Stamp
from nct_monitor.generic import (
    Crumbs,
    ObjectHistoryView,
    ObjectListView,
    PageMixin,
    ServiceFormView,
)
from nct_monitor.importing.views import ImportUploadView
from risks import exports, selectors, services
from risks.choices import RiskStatus, ScoreKind
from risks.filters import RiskFilterSet
from risks.forms import (
    RiskActionForm,
    RiskForm,
    RiskReviewForm,
    RiskStatusForm,
    review_period_choices,
)
from risks.matrix import IMPACT, LIKELIHOOD, SCALE, Score, bands
from risks.models import Risk, RiskAction, RiskReview
from risks.selectors import period_key
from risks.services import RiskFields
from risks.tables import RiskTable

REGISTER_CRUMB = ("Risk register", reverse_lazy("risks:risk_list"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _score_kind(request: HttpRequest) -> str:
    kind = request.GET.get("scores", ScoreKind.CURRENT)
    return kind if kind in ScoreKind.values else ScoreKind.CURRENT


def heatmap_context(kind: str) -> dict[str, Any]:
    """What the heatmap partial needs: the grid, the bands and the scales' names."""
    positions = selectors.register()
    return {
        "heatmap": selectors.heatmap(positions, kind=kind),
        "band_counts": selectors.band_count_pairs(positions, kind=kind),
        "likelihood": LIKELIHOOD,
        "impact_levels": [IMPACT[value] for value in SCALE],
        "score_kinds": [(kind_.value, kind_.label) for kind_ in ScoreKind],
    }


class RiskListView(ObjectListView):
    """The register: every risk with its three scores, movement and review status."""

    permission_required = "risks.view_risk"
    filterset_class = RiskFilterSet
    table_class = RiskTable
    template_name = "risks/risk_list.html"
    title = "Risk register"
    export_name = "risk-register"
    intro = (
        "The Trust's strategic risk register. Each score is probability × impact; colours "
        "follow the bands below, always named. Movement compares the current score with the "
        "previous review; a review is overdue when an open risk has had none for 3 months."
    )

    def get_queryset(self) -> QuerySet[Risk]:
        return selectors.risk_queryset()

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [
            ("Heatmap", reverse("risks:heatmap"), "risks.view_risk"),
            ("Import the register", reverse("risks:risk_import"), "risks.add_risk"),
            ("Add a risk", reverse("risks:risk_add"), "risks.add_risk"),
            ("Download the register (.xlsx)", reverse("risks:risk_export"), "risks.view_risk"),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if not getattr(self.request, "htmx", False):
            context.update(heatmap_context(ScoreKind.CURRENT))
        return context


class HeatmapView(PermissionRequiredMixin, PageMixin, TemplateView):
    """Open risks on the 5×5 matrix by their current (or initial, or target) score."""

    permission_required = "risks.view_risk"
    template_name = "risks/heatmap.html"
    breadcrumbs = [REGISTER_CRUMB, ("Heatmap", None)]

    def get_title(self) -> str:
        kind = _score_kind(self.request)
        return f"Risk heatmap: {ScoreKind(kind).label.lower()} scores"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(heatmap_context(_score_kind(self.request)))
        return context


def score_history_chart(risk: Risk, entries: list[selectors.ReviewEntry]) -> Chart | None:
    """The risk's current score at each review, with its target, as a line chart."""
    if not entries:
        return None
    labels: list[str] = []
    values: list[int | None] = []
    first = entries[0]
    if first.previous is not None:
        labels.append("Before reviews")
        values.append(first.previous.value)
    for entry in entries:
        labels.append(entry.review.period.label)
        values.append(entry.score.value)
    latest = entries[-1]
    return line_chart(
        title=f"{risk.ref}: current score by review",
        description=(
            f"The current score at each of {len(entries)} review"
            f"{'s' if len(entries) != 1 else ''}, latest {latest.score.value} "
            f"({latest.score.band.name.lower()}) in {latest.review.period.label}; "
            f"the dashed line is the target residual score, {risk.target_score.value}."
        ),
        labels=labels,
        series=[Series("Current score", values, COLOURS["blue"])],
        target=[risk.target_score.value] * len(labels),
        y_label="Score (probability × impact)",
        empty=f"No scores are recorded for {risk.ref} at its reviews.",
    )


def matrix_rows(item: selectors.RiskPosition) -> list[tuple[int, list[dict[str, Any]]]]:
    """The 5×5 matrix, probability 5 at the top, each cell marked with the scores it holds."""
    marks = [("Initial", item.initial), ("Current", item.current), ("Target", item.target)]
    return [
        (
            probability,
            [
                {
                    "score": Score(probability, impact),
                    "marks": [
                        name
                        for name, found in marks
                        if (found.probability, found.impact) == (probability, impact)
                    ],
                }
                for impact in SCALE
            ],
        )
        for probability in reversed(SCALE)
    ]


class RiskMixin(PageMixin):
    """A page about one risk (`pk` in the URL)."""

    kwargs: dict[str, Any]

    def get_risk(self) -> Risk:
        if not hasattr(self, "risk"):
            try:
                self.risk = selectors.get_risk(self.kwargs["pk"])
            except Risk.DoesNotExist:
                raise Http404("The register has no such risk.") from None
        return self.risk

    def get_breadcrumbs(self) -> Crumbs:
        risk = self.get_risk()
        return [REGISTER_CRUMB, (risk.ref, reverse("risks:risk_detail", args=[risk.pk]))]


class RiskDetailView(RiskMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "risks.view_risk"
    template_name = "risks/risk_detail.html"

    def get_title(self) -> str:
        return str(self.get_risk())

    def get_breadcrumbs(self) -> Crumbs:
        return [REGISTER_CRUMB, (self.get_risk().ref, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        risk = self.get_risk()
        today = timezone.localdate()
        item = selectors.position(risk, today=today)
        entries = selectors.review_history(risk)
        context.update(
            risk=risk,
            item=item,
            entries=list(reversed(entries)),
            chart=score_history_chart(risk, entries),
            matrix=matrix_rows(item),
            impact_levels=[IMPACT[value] for value in SCALE],
            likelihood=LIKELIHOOD,
            actions=[
                (action, action.is_overdue_on(today)) for action in selectors.risk_actions(risk)
            ],
            bands=bands(),
        )
        return context


class RiskReviewView(RiskMixin, ServiceFormView):
    """Record a risk's review for a period; the latest review sets its current score."""

    permission_required = "risks.add_riskreview"
    form_class = RiskReviewForm
    template_name = "risks/riskreview_form.html"
    submit_label = "Record review"

    def get_title(self) -> str:
        return f"Review {self.get_risk().ref}"

    def get_breadcrumbs(self) -> Crumbs:
        return [*super().get_breadcrumbs(), ("Review", None)]

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        choices = review_period_choices(today)
        open_choices = [value for value, label in choices if not label.endswith("signed off")]
        # `?period=2023:9` opens the form on that period's review, to correct it.
        chosen = self.request.GET.get("period")
        # Otherwise the next period to be signed off: the earliest open period after the
        # latest signed-off one (choices are newest first), not the calendar's month.
        if chosen not in open_choices:
            newer = list(takewhile(lambda value: value in open_choices, [v for v, _ in choices]))
            chosen = newer[-1] if newer else (open_choices[0] if open_choices else None)
        user = self.request.user
        initial: dict[str, Any] = {
            "period": chosen,
            "reviewer": (user.get_full_name() or user.get_username()),  # type: ignore[union-attr]
            "reviewed_on": today,
        }
        return initial | self.review_values(chosen)

    def review_values(self, chosen: str | None) -> dict[str, Any]:
        """The figures of the chosen period's review as recorded (else the risk's current
        ones), and the version of every period's review."""
        risk = self.get_risk()
        reviews = selectors.reviews_by_period(risk)
        values: dict[str, Any] = {
            "versions": {key: Stamp.of(review) for key, review in reviews.items()},
            "probability": risk.current_probability,
            "impact": risk.current_impact,
            "position": risk.current_position,
            "further_actions": risk.further_actions,
        }
        review = reviews.get(chosen or "")
        if review is not None:
            values.update(
                probability=review.probability,
                impact=review.impact,
                position=review.position,
                further_actions=review.further_actions,
                reviewer=review.reviewer,
                reviewed_on=review.reviewed_on,
            )
        return values

    def saved_values(self, form: BaseForm) -> dict[str, Any]:
        values = self.review_values(period_key(form.cleaned_data["period"]))
        # Who reviewed and when stay as typed: they describe the review being made.
        values.pop("reviewer", None)
        values.pop("reviewed_on", None)
        return values

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        risk = self.get_risk()
        context.update(risk=risk, item=selectors.position(risk), cancel_url=self.get_success_url())
        return context

    def perform(self, form: BaseForm) -> RiskReview:
        assert isinstance(form, RiskReviewForm)
        data = form.cleaned_data
        return services.record_review(
            risk=self.get_risk(),
            period=data["period"],
            probability=data["probability"],
            impact=data["impact"],
            position=data["position"],
            further_actions=data["further_actions"],
            reviewer=data["reviewer"],
            reviewed_on=data["reviewed_on"],
            user=self.request.user,
            expected=form.expected(),
        )

    def get_success_message(self, result: RiskReview) -> str:
        score = result.score
        return (
            f"Review of {result.risk.ref} for {result.period.label} recorded: score "
            f"{score.value} ({score.band.name.lower()})."
        )

    def get_success_url(self) -> str:
        return reverse("risks:risk_detail", args=[self.kwargs["pk"]])


class RiskFormView(ServiceFormView):
    """Add a risk to the register, or edit one (`pk` in the URL)."""

    form_class = RiskForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.risk = get_object_or_404(Risk, pk=kwargs["pk"]) if "pk" in kwargs else None
        return super().dispatch(request, *args, **kwargs)

    def get_permission_required(self) -> tuple[str, ...]:
        return ("risks.change_risk",) if self.risk else ("risks.add_risk",)

    def get_title(self) -> str:
        return f"Edit {self.risk.ref}" if self.risk else "Add a risk"

    def get_breadcrumbs(self) -> Crumbs:
        if self.risk:
            return [
                REGISTER_CRUMB,
                (self.risk.ref, reverse("risks:risk_detail", args=[self.risk.pk])),
                ("Edit", None),
            ]
        return [REGISTER_CRUMB, ("Add a risk", None)]

    def get_initial(self) -> dict[str, Any]:
        return RiskForm.initial_for(self.risk) if self.risk else {}

    def perform(self, form: BaseForm) -> Risk:
        data = form.cleaned_data
        status = self.risk.status if self.risk else RiskStatus.OPEN
        status_date = self.risk.status_date if self.risk else None
        fields = RiskFields(**data, status=status, status_date=status_date)
        ref = fields.cleaned().ref
        clash = Risk.objects.filter(ref=ref).exclude(pk=self.risk.pk if self.risk else None)
        if clash.exists():
            raise ValidationError({"ref": f"The register already has a risk numbered {ref}."})
        risk, _ = services.save_risk(data=fields, user=self.request.user, risk=self.risk)
        return risk

    def get_success_message(self, result: Risk) -> str:
        return f"{result.ref} is saved."

    def get_success_url(self) -> str:
        return reverse("risks:risk_detail", args=[self.result.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = (
            reverse("risks:risk_detail", args=[self.risk.pk])
            if self.risk
            else reverse("risks:risk_list")
        )
        return context


class RiskStatusView(RiskMixin, ServiceFormView):
    permission_required = "risks.change_risk"
    form_class = RiskStatusForm
    submit_label = "Save status"

    def get_title(self) -> str:
        return f"Close, transfer or reopen {self.get_risk().ref}"

    def get_breadcrumbs(self) -> Crumbs:
        return [*super().get_breadcrumbs(), ("Status", None)]

    def get_initial(self) -> dict[str, Any]:
        risk = self.get_risk()
        return {"status": risk.status, "status_date": risk.status_date}

    def perform(self, form: BaseForm) -> Risk:
        data = form.cleaned_data
        return services.set_risk_status(
            risk=self.get_risk(),
            status=data["status"],
            status_date=data["status_date"],
            user=self.request.user,
            reason=data["reason"],
        )

    def get_success_message(self, result: Risk) -> str:
        return f"{result.ref} is {result.get_status_display().lower()}."

    def get_success_url(self) -> str:
        return reverse("risks:risk_detail", args=[self.kwargs["pk"]])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_success_url()
        return context


class RiskActionView(ServiceFormView):
    """Add an action to a risk (`risk` in the URL) or change one (`pk`)."""

    form_class = RiskActionForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "pk" in kwargs:
            self.action: RiskAction | None = get_object_or_404(
                RiskAction.objects.select_related("risk"), pk=kwargs["pk"]
            )
            self.risk = self.action.risk
        else:
            self.action = None
            self.risk = get_object_or_404(Risk, pk=kwargs["risk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_required(self) -> tuple[str, ...]:
        return ("risks.change_riskaction",) if self.action else ("risks.add_riskaction",)

    def get_title(self) -> str:
        return f"{'Update an action on' if self.action else 'Add an action to'} {self.risk.ref}"

    def get_breadcrumbs(self) -> Crumbs:
        return [
            REGISTER_CRUMB,
            (self.risk.ref, reverse("risks:risk_detail", args=[self.risk.pk])),
            ("Action", None),
        ]

    def get_initial(self) -> dict[str, Any]:
        if self.action is None:
            return {"owner": self.risk.owner}
        return {
            "description": self.action.description,
            "owner": self.action.owner,
            "due_date": self.action.due_date,
            "status": self.action.status,
        }

    def perform(self, form: BaseForm) -> RiskAction:
        data = form.cleaned_data
        return services.save_action(
            risk=self.risk,
            action=self.action,
            description=data["description"],
            owner=data["owner"],
            due_date=data["due_date"],
            status=data["status"],
            user=self.request.user,
        )

    def get_success_message(self, result: RiskAction) -> str:
        return f"Action on {self.risk.ref} saved."

    def get_success_url(self) -> str:
        return reverse("risks:risk_detail", args=[self.risk.pk]) + "#actions"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("risks:risk_detail", args=[self.risk.pk])
        return context


class RiskHistoryView(ObjectHistoryView):
    permission_required = "risks.view_risk"
    model = Risk

    def get_breadcrumbs(self) -> Crumbs:
        return [
            REGISTER_CRUMB,
            (self.object.ref, reverse("risks:risk_detail", args=[self.object.pk])),
            ("History", None),
        ]


class RiskReviewHistoryView(ObjectHistoryView):
    permission_required = "risks.view_riskreview"
    model = RiskReview
    hidden_fields = ("id", "risk", "recorded_by")

    def get_breadcrumbs(self) -> Crumbs:
        risk = self.object.risk
        return [
            REGISTER_CRUMB,
            (risk.ref, reverse("risks:risk_detail", args=[risk.pk])),
            ("Review history", None),
        ]


class RiskActionHistoryView(ObjectHistoryView):
    permission_required = "risks.view_riskaction"
    model = RiskAction
    hidden_fields = ("id", "risk")

    def get_breadcrumbs(self) -> Crumbs:
        risk = self.object.risk
        return [
            REGISTER_CRUMB,
            (risk.ref, reverse("risks:risk_detail", args=[risk.pk])),
            ("Action history", None),
        ]


class RiskImportView(ImportUploadView):
    kind = "risks"
    template_url_name = "risks:import_template"
    breadcrumbs = [REGISTER_CRUMB, ("Import", None)]
    cancel_url = reverse_lazy("risks:risk_list")


@require_safe
@permission_required("risks.view_risk", raise_exception=True)
def import_template(request: HttpRequest) -> HttpResponse:
    """The blank register to fill in and upload (anyone who reads the register may have it,
    as with the other returns' templates)."""
    response = HttpResponse(exports.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="risk-register-template.xlsx"'
    return response


@require_safe
@permission_required("risks.view_risk", raise_exception=True)
def register_export(request: HttpRequest) -> HttpResponse:
    """The whole register in the import layout: edit it and import it again."""
    data = exports.register_workbook(selectors.risk_queryset())
    response = HttpResponse(data, content_type=XLSX)
    stamp = f"{timezone.localdate():%Y-%m-%d}"
    response["Content-Disposition"] = f'attachment; filename="risk-register-{stamp}.xlsx"'
    return response
