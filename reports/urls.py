from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("ny/", views.report_new, name="new"),
    path("<int:pk>/", views.report_job, name="job"),
    path("<int:pk>/hamta/", views.report_download, name="download"),
    path("<int:pk>/siffror/", views.report_figures, name="figures"),
]
