from django.urls import path

from . import views

app_name = "placements"

urlpatterns = [
    path("children/", views.child_list, name="children"),
    path("children/<int:pk>/", views.child_detail, name="child"),
    path("children/<int:pk>/record.pdf", views.child_pdf, name="child_pdf"),
    path("children/<int:pk>/allocation/", views.child_allocate, name="child_allocate"),
    path("children/<int:pk>/placements/new/", views.placement_start, name="placement_start"),
    path("placements/", views.placement_list, name="placements"),
    path("placements/<int:pk>/end/", views.placement_end, name="placement_end"),
    path("settings/", views.setting_list, name="settings"),
    path("settings/new/", views.setting_create, name="setting_create"),
    path("settings/<int:pk>/", views.setting_detail, name="setting"),
    path("settings/<int:pk>/edit/", views.setting_edit, name="setting_edit"),
    path("settings/<int:pk>/inspections/new/", views.inspection_create, name="inspection_create"),
]
