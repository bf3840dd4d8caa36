"""Server-rendered pages. Each area adds its own routes here."""

from django.urls import path

from .views import excel as excel_views

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
]
