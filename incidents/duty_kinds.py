"""The duties of incidents and allegations, registered with the duty engine
(``duties.registry``). Their services open and close them step by step.

An incident's duties are the commissioning team's: the setting has no named commissioning
officer in the register, so every commissioning officer answers for them (``answered_by``,
as for a commissioning visit), and the officer who entered the incident owns them when a
commissioning officer did. A LADO referral is owned by whoever recorded the allegation.
"""

from accounts.models import Role
from duties import registry, timescales

from .rules import CHILD_DEBRIEF, INCIDENT_REPORT, LADO_REFERRAL, STAFF_DEBRIEF, IncidentRules

INCIDENT_LINK = r"incident:(\d+)(?::[a-z_]+)?"
ALLEGATION_LINK = r"allegation:(\d+)"

TYPES = (
    registry.DutyType(
        kind=INCIDENT_REPORT,
        label="Incident report from the home",
        owner="The commissioning officer responsible for the setting (the commissioning team)",
        links=((INCIDENT_LINK, "incidents:incident"),),
        answered_by=Role.COMMISSIONING_OFFICER,
        on_setting_page=True,
        order=150,
    ),
    registry.DutyType(
        kind=STAFF_DEBRIEF,
        label="Staff debrief after an incident",
        owner="The commissioning officer responsible for the setting (the commissioning team)",
        links=((INCIDENT_LINK, "incidents:incident"),),
        answered_by=Role.COMMISSIONING_OFFICER,
        on_setting_page=True,
        order=151,
    ),
    registry.DutyType(
        kind=CHILD_DEBRIEF,
        label="Child's debrief after an incident",
        owner="The commissioning officer responsible for the setting (the commissioning team)",
        links=((INCIDENT_LINK, "incidents:incident"),),
        answered_by=Role.COMMISSIONING_OFFICER,
        on_setting_page=True,
        order=152,
    ),
    registry.DutyType(
        kind=LADO_REFERRAL,
        label="Referral of an allegation to the LADO",
        owner="Whoever recorded the allegation",
        links=((ALLEGATION_LINK, "incidents:allegation"),),
        order=153,
    ),
)


def register() -> None:
    registry.register(*TYPES)
    # Step-by-step duties: a changed figure applies to incidents recorded afterwards.
    timescales.register(IncidentRules, recompute=False)
