from django.urls import path

from . import iro_views, notice_views

app_name = "escalations"

urlpatterns = [
    path("settings/<int:pk>/notices/new/", notice_views.notice_create, name="notice_create"),
    # IRO escalations (escalations/iro_views.py)
    path("escalations/", iro_views.escalation_list, name="iro_escalations"),
    path(
        "children/<int:child_pk>/escalations/new/",
        iro_views.escalation_create,
        name="iro_escalation_create",
    ),
    path("escalations/<int:pk>/", iro_views.escalation_detail, name="iro_escalation"),
    path(
        "escalations/<int:pk>/advance/", iro_views.escalation_advance, name="iro_escalation_advance"
    ),
    path(
        "escalations/<int:pk>/resolve/", iro_views.escalation_resolve, name="iro_escalation_resolve"
    ),
    path("escalation-stages/<int:pk>/", iro_views.escalation_stage, name="escalation_stage"),
]
