"""Server-rendered pages. Each area adds its own routes here."""

from django.urls import path

from .views import dashboard, lists, municipality, pages, roadmap
from .views import excel as excel_views
from .views import initiatives as initiative_views
from .views import workflow as workflow_views

app_name = "portfolio"

urlpatterns = [
    path(
        "portfoljer/<int:pk>/initiativ/export.xlsx",
        excel_views.initiative_export,
        name="initiative-export-xlsx",
    ),
    path(
        "portfoljer/<int:pk>/kostnader-och-tid/export.xlsx",
        excel_views.entries_export,
        name="entries-export-xlsx",
    ),
    path("portfoljer/<int:pk>/import/", excel_views.import_page, name="excel-import"),
    path(
        "portfoljer/<int:pk>/import/bekrafta/",
        excel_views.import_confirm,
        name="excel-import-confirm",
    ),
    path(
        "portfoljer/<int:pk>/import/mall-<slug:kind>.xlsx",
        excel_views.import_template,
        name="excel-template",
    ),
    path("portfoljer/<int:pk>/", dashboard.dashboard, name="dashboard"),
    path("portfoljer/<int:pk>/uppfoljning/", dashboard.indicators, name="indicators"),
    path("portfoljer/<int:pk>/initiativ/", lists.initiative_list, name="initiative-list"),
    path("portfoljer/<int:pk>/fardplan/", roadmap.roadmap, name="roadmap"),
    path("min-kommun/", municipality.my_municipality, name="my-municipality"),
    path("tillganglighet/", pages.accessibility, name="accessibility"),
]

# Governance workflow: initiatives, gates, decisions, participation, status, benefits.
urlpatterns += [
    path("initiativ/<int:pk>/", initiative_views.initiative_detail, name="initiative-detail"),
    path(
        "portfoljer/<int:portfolio_pk>/initiativ/ny/",
        initiative_views.initiative_create_view,
        name="initiative-create",
    ),
    path(
        "portfoljer/<int:portfolio_pk>/rangordning/",
        initiative_views.initiative_ranking,
        name="initiative-ranking",
    ),
    path("initiativ/<int:pk>/andra/", initiative_views.initiative_edit, name="initiative-edit"),
    path("initiativ/<int:pk>/beslut/nytt/", workflow_views.decision_create, name="decision-create"),
    path(
        "initiativ/<int:pk>/kriterier/<int:criterion_pk>/bekrafta/",
        workflow_views.criterion_confirm,
        name="criterion-confirm",
    ),
    path(
        "initiativ/<int:pk>/kriterier/<int:criterion_pk>/ta-bort-bekraftelse/",
        workflow_views.criterion_unconfirm,
        name="criterion-unconfirm",
    ),
    path(
        "initiativ/<int:pk>/deltagande/bjud-in/",
        workflow_views.participation_invite,
        name="participation-invite",
    ),
    path(
        "initiativ/<int:pk>/deltagande/<int:participation_pk>/svara/",
        workflow_views.participation_answer,
        name="participation-answer",
    ),
    path(
        "initiativ/<int:pk>/deltagande/<int:participation_pk>/lamna/",
        workflow_views.participation_leave,
        name="participation-leave",
    ),
    path(
        "initiativ/<int:pk>/deltagande/<int:participation_pk>/implementerat/",
        workflow_views.participation_implemented,
        name="participation-implemented",
    ),
    path(
        "initiativ/<int:pk>/deltagande/<int:participation_pk>/avstar-implementering/",
        workflow_views.participation_opt_out,
        name="participation-opt-out",
    ),
    path("initiativ/<int:pk>/status/ny/", workflow_views.status_create, name="status-create"),
    path(
        "initiativ/<int:pk>/effektmal/nytt/",
        workflow_views.effect_goal_create,
        name="effect-goal-create",
    ),
    path(
        "initiativ/<int:pk>/effektmal/<int:goal_pk>/andra/",
        workflow_views.effect_goal_edit,
        name="effect-goal-edit",
    ),
    path(
        "initiativ/<int:pk>/effektmal/<int:goal_pk>/matvarde/",
        workflow_views.measurement_create,
        name="measurement-create",
    ),
    path(
        "initiativ/<int:pk>/prioritering/",
        workflow_views.priority_scores,
        name="priority-scores",
    ),
    path("initiativ/<int:pk>/paus/", workflow_views.initiative_pause, name="initiative-pause"),
    path("initiativ/<int:pk>/3n/", workflow_views.initiative_3n, name="initiative-3n"),
]
