from django.urls import path

from .views import allegations, incidents

app_name = "incidents"

urlpatterns = [
    path("settings/<int:pk>/incidents/", incidents.setting_incidents, name="setting_incidents"),
    path("settings/<int:pk>/incidents/new/", incidents.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident"),
    path("incidents/<int:pk>/report/", incidents.incident_report, name="incident_report"),
    path("incidents/<int:pk>/debrief/", incidents.incident_debrief, name="incident_debrief"),
    path("children/<int:pk>/incidents/", incidents.child_incidents, name="child_incidents"),
    path("allegations/", allegations.allegation_list, name="allegations"),
    path("allegations/new/", allegations.allegation_create, name="allegation_create"),
    path("allegations/<int:pk>/", allegations.allegation_detail, name="allegation"),
    path(
        "allegations/<int:pk>/referral/",
        allegations.allegation_referral,
        name="allegation_referral",
    ),
    path(
        "allegations/<int:pk>/outcome/",
        allegations.allegation_outcome,
        name="allegation_outcome",
    ),
]
