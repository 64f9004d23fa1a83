"""KPI pages: the scorecard, a KPI's page, results entry, targets, breaches and rectification
plans, definitions, the change logs, and the two returns' upload pages.

Views are thin: every status shown comes from `kpis.selectors.scorecard`, and every form hands
its data to `kpis.services`. One module per part (`scorecard`, `results`, `targets`, `plans`,
`definitions`, `changes`, `uploads`), on the pieces in `base`. Every view is imported here, so
`kpis.urls` names each as `views.X`.
"""

from kpis.views.changes import ResultChangesView, TargetChangesView
from kpis.views.definitions import DefinitionEditView, DefinitionHistoryView, DefinitionListView
from kpis.views.plans import (
    BreachesView,
    PlanCreateView,
    PlanHistoryView,
    PlanListView,
    PlanUpdateView,
    breaches_index,
)
from kpis.views.results import ResultsEntryView, results_index
from kpis.views.scorecard import KpiDetailView, ScorecardView, index
from kpis.views.targets import TargetsView, targets_index
from kpis.views.uploads import ResultsUploadView, TargetsUploadView, blank_template

__all__ = [
    "BreachesView",
    "DefinitionEditView",
    "DefinitionHistoryView",
    "DefinitionListView",
    "KpiDetailView",
    "PlanCreateView",
    "PlanHistoryView",
    "PlanListView",
    "PlanUpdateView",
    "ResultChangesView",
    "ResultsEntryView",
    "ResultsUploadView",
    "ScorecardView",
    "TargetChangesView",
    "TargetsUploadView",
    "TargetsView",
    "blank_template",
    "breaches_index",
    "index",
    "results_index",
    "targets_index",
]
