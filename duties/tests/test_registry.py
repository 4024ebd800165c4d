"""The kinds of duty each workflow registers, and the pages their subjects link to."""

import pytest
from django.urls import reverse

from duties import registry
from duties.models import Duty

#: The kinds of duty and their values: a contract (deadlines --kind, the CSVs), in the
#: order lists show them.
KINDS = [
    ("statutory_visit", "Statutory visit"),
    ("placement_day_visit", "Visit on the day of placement"),
    ("bedroom_seen", "Bedroom seen"),
    ("purposeful_visit", "Purposeful visit"),
    ("iro_visit", "IRO visit"),
    ("commissioning_visit", "Commissioning visit"),
    ("service_manager_visit", "Service manager visit"),
    ("pvf_review", "IRO review of the first Purposeful Visiting Form"),
    ("visit_recording", "Case recording after a visit"),
    ("lac_review", "LAC review"),
    ("review_report", "LAC review report"),
    ("review_recommendation", "LAC review recommendation"),
    ("updated_assessment", "Updated assessment for the LAC review"),
    ("care_plan", "Care plan"),
    ("placement_plan", "Placement plan"),
    ("health_assessment", "Health assessment"),
    ("pep", "Personal education plan (PEP)"),
    ("risk_assessment", "Risk assessment"),
    ("scoping_meeting", "Scoping meeting"),
    ("letter_of_concern", "Letter of concern compliance period"),
    ("action_plan", "Provider action plan action"),
    ("escalation_response", "IRO escalation response"),
    ("scoping_action", "Scoping meeting action"),
    ("placement_planning", "Placement planning: provision no longer used"),
    ("return_home_interview", "Return home interview"),
    ("missing_report", "Missing report from the setting"),
    ("incident_report", "Incident report from the home"),
    ("staff_debrief", "Staff debrief after an incident"),
    ("child_debrief", "Child's debrief after an incident"),
    ("lado_referral", "Referral of an allegation to the LADO"),
]


def test_every_kind_is_registered_by_its_workflow_in_list_order():
    assert registry.choices() == KINDS
    assert all(t.owner for t in registry.kinds())


def test_visits_count_in_timeliness_and_who_else_answers():
    assert registry.visit_kinds() == tuple(kind for kind, _ in KINDS[:7])
    assert registry.childs_iro_kinds() == ("iro_visit", "lac_review", "review_recommendation")
    # A missing report and an incident's duties are the commissioning team's.
    assert registry.answered_by("commissioning_officer") == (
        "commissioning_visit",
        "missing_report",
        "incident_report",
        "staff_debrief",
        "child_debrief",
    )
    assert registry.setting_page_kinds() == (
        "risk_assessment",
        "scoping_meeting",
        "letter_of_concern",
        "action_plan",
        "missing_report",
        "incident_report",
        "staff_debrief",
        "child_debrief",
    )


def test_schedules_are_recomputed_by_their_own_workflow():
    by_name = {spec.name: spec for spec in registry.recomputers()}
    assert set(by_name) == {"visits", "reviews", "visit_recording", "plans", "updated_assessment"}
    assert by_name["visit_recording"].owns("visit_recording", "visit:12")
    assert not by_name["visits"].owns("visit_recording", "visit:12")
    assert by_name["visits"].owns("statutory_visit", "placement:12")
    # A visit due after an Ofsted notice is opened and closed by visits.notices.
    assert not by_name["visits"].owns("statutory_visit", "notice:3:child:12")
    assert by_name["reviews"].owns("lac_review", "child:7")
    assert by_name["reviews"].owns("review_report", "child:7:report_after:2026-11-03")
    assert not by_name["reviews"].owns("statutory_visit", "child:7")
    # The plans' rows (timescales.md §7), and the updated assessment a review cycle.
    assert by_name["plans"].owns("care_plan", "child:7:care_period:2026-11-02")
    assert by_name["plans"].owns("placement_plan", "child:7:placement:12")
    assert by_name["plans"].owns("health_assessment", "child:7:health")
    assert by_name["plans"].owns("pep", "child:7:pep")
    assert not by_name["plans"].owns("pep", "child:7")
    assert by_name["updated_assessment"].owns(
        "updated_assessment", "child:7:assessment_after:2026-11-02"
    )


def test_a_kind_registered_twice_differently_is_refused():
    clash = registry.DutyType(kind="statutory_visit", label="Something else", owner="Anyone")
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(clash)
    registry.register(registry.get("statutory_visit"))  # the same again changes nothing


def test_a_recomputer_of_unregistered_kinds_is_refused():
    with pytest.raises(ValueError, match="before their recomputer"):
        registry.recomputer(
            registry.Recomputer(
                name="nobody",
                scope="child",
                kinds=("not_a_kind",),
                subjects=r"child:\d+",
                prepare=lambda today: None,
                load=lambda ids, state: None,
                wants=lambda pk, batch, state, subjects: [],
            )
        )


def test_an_unknown_kind_still_has_a_label():
    assert registry.label("not_a_kind") == "Not a kind"
    assert Duty(kind="iro_visit").kind_label == "IRO visit"


@pytest.mark.parametrize(
    ("subject", "name", "pk"),
    [
        ("risk_assessment:12", "scoping:risk_assessment", 12),
        ("escalation_stage:7", "escalations:escalation_stage", 7),
        ("scoping_request:3", "scoping:request", 3),
        ("scoping_request:3:convene", "scoping:request", 3),
        ("setting:44:scoping", "scoping:meeting_convene", 44),
        ("scoping_action:9", "scoping:action", 9),
        ("meeting:5:review", "scoping:meeting", 5),
        ("visit:31", "visits:visit", 31),
        ("plan:7", "plans:plan_edit", 7),
        ("child:6:care_period:2026-03-02", "plans:child_plans", 6),
        ("child:6:pep", "plans:child_plans", 6),
        ("child:6:assessment_after:2026-03-02", "plans:child_plans", 6),
        ("pvf_review:31", "visits:pvf_review", 31),
        ("child:6:report_after:2026-11-03", "reviews:child_reviews", 6),
        ("incident:8:child_debrief", "incidents:incident", 8),
        ("allegation:2", "incidents:allegation", 2),
        ("review_recommendation:8", "reviews:recommendation", 8),
    ],
)
def test_a_subject_links_to_its_page(subject, name, pk):
    assert registry.link(subject) == reverse(name, kwargs={"pk": pk})
    assert Duty(subject=subject).link == reverse(name, kwargs={"pk": pk})


def test_the_record_that_discharged_a_duty_links_to_its_page():
    duty = Duty(subject="placement:3", done_by="visit:31")
    assert duty.done_by_link == reverse("visits:visit", kwargs={"pk": 31})
    # A LAC review held: the IRO's record of it.
    assert Duty(subject="child:3", done_by="lac_review:4").done_by_link == reverse(
        "reviews:review", kwargs={"pk": 4}
    )


@pytest.mark.parametrize(
    "subject",
    [
        "placement:12",  # visit duties: the child's page is linked beside them
        "child:7",
        "child:7:report_after:2026-11",
        "setting:4",  # a commissioning visit, not a scoping meeting
        "setting:4:scoping:extra",
        "risk_assessment:",
        "risk_assessment:12x",
        "placement_planning:3:8",
        "",
    ],
)
def test_other_subjects_have_no_link(subject):
    assert registry.link(subject) == ""
