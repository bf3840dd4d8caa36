"""Server-rendered pages. Each area adds its own routes here."""

from django.urls import path

from .views import agreements as agreement_views
from .views import archive as archive_views
from .views import attachments as attachment_views
from .views import constellations as constellation_views
from .views import dashboard, lists, municipality, pages, roadmap
from .views import economy as economy_views
from .views import economy_entries as entry_views
from .views import excel as excel_views
from .views import initiatives as initiative_views
from .views import meeting_agenda as meeting_agenda_views
from .views import meetings as meeting_views
from .views import organisations as organisation_views
from .views import settings as settings_views
from .views import settings_bodies as body_views
from .views import workflow as workflow_views
from .views.portfolio_new import portfolio_new

app_name = "portfolio"

urlpatterns = [
    path("portfoljer/ny/", portfolio_new, name="portfolio-new"),
    path("avtal/", agreement_views.agreement_list, name="agreement-list"),
    path("avtal/nytt/", agreement_views.agreement_form, name="agreement-new"),
    path("avtal/<int:pk>/", agreement_views.agreement_detail, name="agreement-detail"),
    path("avtal/<int:pk>/andra/", agreement_views.agreement_form, name="agreement-edit"),
    path("konstellationer/", constellation_views.constellation_list, name="constellation-list"),
    path("konstellationer/ny/", constellation_views.constellation_form, name="constellation-new"),
    path(
        "konstellationer/<int:pk>/",
        constellation_views.constellation_detail,
        name="constellation-detail",
    ),
    path(
        "konstellationer/<int:pk>/andra/",
        constellation_views.constellation_form,
        name="constellation-edit",
    ),
    path(
        "konstellationer/<int:pk>/medlemskap/",
        constellation_views.constellation_membership,
        name="constellation-membership",
    ),
    path("organisationer/", organisation_views.organisation_list, name="organisation-list"),
    path("organisationer/ny/", organisation_views.organisation_form, name="organisation-new"),
    path(
        "organisationer/<int:pk>/andra/",
        organisation_views.organisation_form,
        name="organisation-edit",
    ),
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
    path(
        "portfoljer/<int:pk>/portfolj/export.xlsx",
        excel_views.portfolio_export,
        name="portfolio-export-xlsx",
    ),
    path("portfoljer/<int:pk>/import/", excel_views.import_page, name="excel-import"),
    path(
        "portfoljer/<int:pk>/import/bekrafta/",
        excel_views.import_confirm,
        name="excel-import-confirm",
    ),
    path(
        "portfoljer/<int:pk>/import/jobb/<int:job_pk>/",
        excel_views.import_job,
        name="excel-import-job",
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

# Attachments (bilagor) on initiatives, decisions and agreements: upload and download.
urlpatterns += [
    path(
        "<slug:slug>/<int:pk>/bilagor/ny/",
        attachment_views.attachment_upload,
        name="attachment-upload",
    ),
    path(
        "bilagor/<int:pk>/ladda-ner/",
        attachment_views.attachment_download,
        name="attachment-download",
    ),
]

# Money: allocation, settlement, scenarios, the municipality's economy, costs and hours.
urlpatterns += [
    path(
        "portfoljer/<int:pk>/ekonomi/",
        economy_views.portfolio_allocation,
        name="economy-portfolio",
    ),
    path(
        "portfoljer/<int:pk>/ekonomi/export.xlsx",
        economy_views.portfolio_allocation,
        {"export": True},
        name="economy-portfolio-xlsx",
    ),
    path("program/<int:pk>/ekonomi/", economy_views.program_allocation, name="economy-program"),
    path(
        "program/<int:pk>/ekonomi/export.xlsx",
        economy_views.program_allocation,
        {"export": True},
        name="economy-program-xlsx",
    ),
    path(
        "initiativ/<int:pk>/ekonomi/",
        economy_views.initiative_allocation,
        name="economy-initiative",
    ),
    path(
        "initiativ/<int:pk>/ekonomi/export.xlsx",
        economy_views.initiative_allocation,
        {"export": True},
        name="economy-initiative-xlsx",
    ),
    path("portfoljer/<int:pk>/avrakning/", economy_views.settlement, name="settlement"),
    path(
        "portfoljer/<int:pk>/avrakning/export.xlsx",
        economy_views.settlement,
        {"export": True},
        name="settlement-xlsx",
    ),
    path("portfoljer/<int:pk>/scenarier/", economy_views.scenarios, name="scenarios"),
    path(
        "portfoljer/<int:pk>/scenarier/export.xlsx",
        economy_views.scenarios,
        {"export": True},
        name="scenarios-xlsx",
    ),
    path("min-kommun/ekonomi/", economy_views.my_economy, name="economy-mine"),
    path(
        "min-kommun/ekonomi/export.xlsx",
        economy_views.my_economy,
        {"export": True},
        name="economy-mine-xlsx",
    ),
    path(
        "initiativ/<int:pk>/kostnader/ny/",
        economy_views.cost_entry_create,
        name="cost-entry-create",
    ),
    path("initiativ/<int:pk>/tid/ny/", economy_views.time_entry_create, name="time-entry-create"),
    path(
        "poster/kostnad/<int:pk>/ratta/",
        entry_views.cost_entry_correct,
        name="cost-entry-correct",
    ),
    path(
        "poster/<str:kind>/<int:pk>/ta-bort/",
        entry_views.entry_delete,
        name="entry-delete",
    ),
]

# The portfolio office's settings: gate criteria, allocation key, priority, programs, meeting.
_settings = "portfoljer/<int:pk>/installningar/"
urlpatterns += [
    path("portfoljer/<int:pk>/arkiv/", archive_views.archive_list, name="archive-list"),
    path("portfoljer/<int:pk>/arkiv/ny/", archive_views.archive_order, name="archive-order"),
    path(
        "portfoljer/<int:pk>/arkiv/<int:export_pk>/ladda-ner/",
        archive_views.archive_download,
        name="archive-download",
    ),
]
urlpatterns += [
    path(_settings, settings_views.settings_overview, name="settings"),
    path(f"{_settings}organ/nytt/", body_views.body_add, name="settings-body-add"),
    path(
        f"{_settings}organ/<int:item_pk>/andra/",
        body_views.body_edit,
        name="settings-body-edit",
    ),
    path(
        f"{_settings}grindkriterier/nytt/",
        settings_views.gate_criterion_add,
        name="settings-gate-criterion-add",
    ),
    path(
        f"{_settings}grindkriterier/<int:item_pk>/andra/",
        settings_views.gate_criterion_edit,
        name="settings-gate-criterion-edit",
    ),
    path(
        f"{_settings}grindkriterier/<int:item_pk>/aktiv/",
        settings_views.gate_criterion_active,
        name="settings-gate-criterion-active",
    ),
    path(
        f"{_settings}grindkriterier/<int:item_pk>/flytta/",
        settings_views.gate_criterion_move,
        name="settings-gate-criterion-move",
    ),
    path(
        f"{_settings}fordelningsnyckel/ny/",
        settings_views.allocation_key_add,
        name="settings-key-add",
    ),
    path(
        f"{_settings}prioritering/nytt/",
        settings_views.priority_criterion_add,
        name="settings-priority-add",
    ),
    path(
        f"{_settings}prioritering/<int:item_pk>/andra/",
        settings_views.priority_criterion_edit,
        name="settings-priority-edit",
    ),
    path(
        f"{_settings}prioritering/<int:item_pk>/ta-bort/",
        settings_views.priority_criterion_delete,
        name="settings-priority-delete",
    ),
    path(f"{_settings}program/nytt/", settings_views.program_add, name="settings-program-add"),
    path(
        f"{_settings}program/<int:item_pk>/andra/",
        settings_views.program_edit,
        name="settings-program-edit",
    ),
    path(
        f"{_settings}program/<int:item_pk>/budget/",
        settings_views.program_budget,
        name="settings-program-budget",
    ),
    path(f"{_settings}mote/", settings_views.meeting_edit, name="settings-meeting"),
]

# A body's meetings: agenda, attendance, a decision per item.
urlpatterns += [
    path("portfoljer/<int:pk>/moten/", meeting_views.meeting_list, name="meeting-list"),
    path("portfoljer/<int:pk>/moten/nytt/", meeting_views.meeting_create, name="meeting-create"),
    path(
        "portfoljer/<int:pk>/moten/serie/",
        meeting_agenda_views.meeting_series_create,
        name="meeting-series-create",
    ),
    path("moten/<int:pk>/", meeting_views.meeting_detail, name="meeting-detail"),
    path("moten/<int:pk>/foresla/", meeting_views.meeting_propose, name="meeting-propose"),
    path("moten/<int:pk>/andra/", meeting_agenda_views.meeting_change, name="meeting-change"),
    path(
        "moten/<int:pk>/kallelse/",
        meeting_agenda_views.meeting_agenda_send,
        name="meeting-agenda-send",
    ),
    path("moten/<int:pk>/narvaro/", meeting_views.attendance, name="meeting-attendance"),
    path("moten/<int:pk>/arenden/nytt/", meeting_views.item_add, name="meeting-item-add"),
    path(
        "moten/<int:pk>/arenden/<int:item_pk>/flytta/",
        meeting_views.item_move,
        name="meeting-item-move",
    ),
    path(
        "moten/<int:pk>/arenden/<int:item_pk>/ta-bort/",
        meeting_views.item_remove,
        name="meeting-item-remove",
    ),
    path(
        "moten/<int:pk>/arenden/<int:item_pk>/beslut/",
        meeting_views.item_decide,
        name="meeting-item-decide",
    ),
]
