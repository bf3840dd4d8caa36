from django.urls import path

from . import minutes_views, views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("ny/", views.report_new, name="new"),
    path("<int:pk>/", views.report_job, name="job"),
    path("<int:pk>/hamta/", views.report_download, name="download"),
    path("<int:pk>/siffror/", views.report_figures, name="figures"),
    path("moten/<int:pk>/protokoll.pdf", minutes_views.minutes_pdf, name="meeting-minutes"),
    path(
        "moten/<int:pk>/foredragningslista.pdf",
        minutes_views.agenda_pdf,
        name="meeting-agenda",
    ),
    path("moten/<int:pk>/justera/", minutes_views.minutes_adjust, name="meeting-adjust"),
]
