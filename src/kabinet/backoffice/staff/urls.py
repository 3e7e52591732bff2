from django.urls import path

from kabinet.backoffice.staff import views

urlpatterns = [
    path("staff-roles/", views.staff_roles, name="staff_roles"),
    path("staff-roles/<uuid:user_id>/", views.staff_roles_edit, name="staff_roles_edit"),
    path("team-load/", views.team_load, name="team_load"),
]
