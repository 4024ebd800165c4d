"""The register's pages (names are placements:…), grouped by what they are about."""

from django.urls import path

from .views import admission, children, episodes, register

app_name = "placements"

urlpatterns = [
    path("children/", children.child_list, name="children"),
    path("children/new/", admission.child_register, name="child_register"),
    path("children/<int:pk>/", children.child_detail, name="child"),
    path("children/<int:pk>/record.pdf", children.child_pdf, name="child_pdf"),
    path("children/<int:pk>/allocation/", children.child_allocate, name="child_allocate"),
    path("children/<int:pk>/placements/new/", episodes.placement_start, name="placement_start"),
    path("placements/", episodes.placement_list, name="placements"),
    path("placements/<int:pk>/end/", episodes.placement_end, name="placement_end"),
    path(
        "placements/<int:pk>/concerns/new/",
        admission.placement_concern_create,
        name="placement_concern_create",
    ),
    path("settings/", register.setting_list, name="settings"),
    path("settings/new/", register.setting_create, name="setting_create"),
    path("settings/<int:pk>/", register.setting_detail, name="setting"),
    path("settings/<int:pk>/edit/", register.setting_edit, name="setting_edit"),
    path(
        "settings/<int:pk>/inspections/new/", register.inspection_create, name="inspection_create"
    ),
]
