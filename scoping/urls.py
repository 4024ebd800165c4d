from django.urls import path

from . import views

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
