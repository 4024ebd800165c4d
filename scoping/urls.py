from django.urls import path

from .views import meetings, requests, risk_assessments

app_name = "scoping"

urlpatterns = [
    path("risk-assessments/", risk_assessments.risk_assessment_list, name="risk_assessments"),
    path(
        "risk-assessments/<int:pk>/",
        risk_assessments.risk_assessment_detail,
        name="risk_assessment",
    ),
    path(
        "risk-assessments/<int:pk>/edit/",
        risk_assessments.risk_assessment_edit,
        name="risk_assessment_edit",
    ),
    path(
        "risk-assessments/<int:pk>/sign/",
        risk_assessments.risk_assessment_sign,
        name="risk_assessment_sign",
    ),
    path(
        "risk-assessments/<int:pk>/return/",
        risk_assessments.risk_assessment_return,
        name="risk_assessment_return",
    ),
    path(
        "risk-assessments/<int:pk>/risk-assessment.pdf",
        risk_assessments.risk_assessment_pdf,
        name="risk_assessment_pdf",
    ),
]

# Scoping meeting requests.

urlpatterns += [
    path("scoping-requests/", requests.request_list, name="requests"),
    path("scoping-requests/new/", requests.request_create, name="request_create"),
    path("scoping-requests/<int:pk>/", requests.request_detail, name="request"),
    path("scoping-requests/<int:pk>/decide/", requests.request_decide, name="request_decide"),
    path(
        "scoping-requests/<int:pk>/resubmit/",
        requests.request_resubmit,
        name="request_resubmit",
    ),
    # Scoping meetings (scoping/meetings.py).
    path("scoping-meetings/", meetings.meeting_list, name="meetings"),
    path("scoping-meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path(
        "settings/<int:pk>/scoping-meetings/new/",
        meetings.meeting_convene,
        name="meeting_convene",
    ),
    path(
        "scoping-meetings/<int:pk>/details/",
        meetings.meeting_details,
        name="meeting_details",
    ),
    path(
        "scoping-meetings/<int:pk>/minutes/",
        meetings.meeting_minutes,
        name="meeting_minutes",
    ),
    path(
        "scoping-meetings/<int:pk>/invitees/",
        meetings.meeting_invitees,
        name="meeting_invitees",
    ),
    path(
        "scoping-meeting-invitees/<int:pk>/remove/",
        meetings.invitee_remove,
        name="meeting_invitee_remove",
    ),
    path(
        "scoping-meetings/<int:pk>/attendance/",
        meetings.meeting_attendance,
        name="meeting_attendance",
    ),
    path(
        "scoping-meeting-children/<int:pk>/",
        meetings.meeting_child,
        name="meeting_child",
    ),
    path(
        "scoping-meetings/<int:pk>/actions/new/",
        meetings.meeting_action_add,
        name="meeting_action_add",
    ),
    path(
        "scoping-meetings/<int:pk>/finalise/",
        meetings.meeting_finalise,
        name="meeting_finalise",
    ),
    path(
        "scoping-meetings/<int:pk>/minutes.pdf",
        meetings.meeting_pdf,
        name="meeting_pdf",
    ),
    path(
        "scoping-meetings/<int:pk>/actions.csv",
        meetings.meeting_csv,
        name="meeting_csv",
    ),
    path("scoping-actions/<int:pk>/", meetings.action_detail, name="action"),
    path("scoping-actions/<int:pk>/done/", meetings.action_done, name="action_done"),
    path("scoping-actions/<int:pk>/edit/", meetings.action_edit, name="action_edit"),
    path("scoping-actions/<int:pk>/withdraw/", meetings.action_withdraw, name="action_withdraw"),
]
