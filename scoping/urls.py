from django.urls import path

from . import meeting_views, views

app_name = "scoping"

urlpatterns = [
    path("risk-assessments/", views.risk_assessment_list, name="risk_assessments"),
    path("risk-assessments/<int:pk>/", views.risk_assessment_detail, name="risk_assessment"),
    path(
        "risk-assessments/<int:pk>/edit/",
        views.risk_assessment_edit,
        name="risk_assessment_edit",
    ),
    path(
        "risk-assessments/<int:pk>/sign/",
        views.risk_assessment_sign,
        name="risk_assessment_sign",
    ),
    path(
        "risk-assessments/<int:pk>/return/",
        views.risk_assessment_return,
        name="risk_assessment_return",
    ),
    path(
        "risk-assessments/<int:pk>/risk-assessment.pdf",
        views.risk_assessment_pdf,
        name="risk_assessment_pdf",
    ),
]

# Scoping meeting requests (scoping/request_views.py).
from . import request_views  # noqa: E402

urlpatterns += [
    path("scoping-requests/", request_views.request_list, name="requests"),
    path("scoping-requests/new/", request_views.request_create, name="request_create"),
    path("scoping-requests/<int:pk>/", request_views.request_detail, name="request"),
    path("scoping-requests/<int:pk>/decide/", request_views.request_decide, name="request_decide"),
    path(
        "scoping-requests/<int:pk>/resubmit/",
        request_views.request_resubmit,
        name="request_resubmit",
    ),
    # Scoping meetings (scoping/meeting_views.py).
    path("scoping-meetings/", meeting_views.meeting_list, name="meetings"),
    path("scoping-meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path(
        "settings/<int:pk>/scoping-meetings/new/",
        meeting_views.meeting_convene,
        name="meeting_convene",
    ),
    path(
        "scoping-meetings/<int:pk>/details/",
        meeting_views.meeting_details,
        name="meeting_details",
    ),
    path(
        "scoping-meetings/<int:pk>/minutes/",
        meeting_views.meeting_minutes,
        name="meeting_minutes",
    ),
    path(
        "scoping-meetings/<int:pk>/invitees/",
        meeting_views.meeting_invitees,
        name="meeting_invitees",
    ),
    path(
        "scoping-meeting-invitees/<int:pk>/remove/",
        meeting_views.invitee_remove,
        name="meeting_invitee_remove",
    ),
    path(
        "scoping-meetings/<int:pk>/attendance/",
        meeting_views.meeting_attendance,
        name="meeting_attendance",
    ),
    path(
        "scoping-meeting-children/<int:pk>/",
        meeting_views.meeting_child,
        name="meeting_child",
    ),
    path(
        "scoping-meetings/<int:pk>/actions/new/",
        meeting_views.meeting_action_add,
        name="meeting_action_add",
    ),
    path(
        "scoping-meetings/<int:pk>/finalise/",
        meeting_views.meeting_finalise,
        name="meeting_finalise",
    ),
    path(
        "scoping-meetings/<int:pk>/minutes.pdf",
        meeting_views.meeting_pdf,
        name="meeting_pdf",
    ),
    path(
        "scoping-meetings/<int:pk>/actions.csv",
        meeting_views.meeting_csv,
        name="meeting_csv",
    ),
    path("scoping-actions/<int:pk>/", meeting_views.action_detail, name="action"),
    path("scoping-actions/<int:pk>/done/", meeting_views.action_done, name="action_done"),
]
