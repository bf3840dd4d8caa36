from django.urls import path

from . import people_views, role_views

app_name = "people"

urlpatterns = [
    path("", people_views.people_list, name="list"),
    path("ny/", people_views.person_add, name="add"),
    path("<int:pk>/andra/", people_views.person_edit, name="edit"),
    path("<int:pk>/roller/", role_views.role_grant, name="role-grant"),
    path("<int:pk>/roller/<int:assignment_pk>/avsluta/", role_views.role_end, name="role-end"),
]
