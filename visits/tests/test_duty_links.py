"""A duty links to the page where it is done, from its subject."""

import pytest
from django.urls import reverse

from visits.models import DUTY_LINKS, Duty, duty_link


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
    ],
)
def test_a_subject_links_to_its_page(subject, name, pk):
    assert duty_link(subject) == reverse(name, kwargs={"pk": pk})
    assert Duty(subject=subject).link == reverse(name, kwargs={"pk": pk})


@pytest.mark.parametrize(
    "subject",
    [
        "placement:12",  # visit duties: the child's page is linked beside them
        "child:7",
        "setting:4",  # a commissioning visit, not a scoping meeting
        "setting:4:scoping:extra",
        "risk_assessment:",
        "risk_assessment:12x",
        "placement_planning:3:8",
        "",
    ],
)
def test_other_subjects_have_no_link(subject):
    assert duty_link(subject) == ""


def test_every_pattern_names_a_url():
    for pattern, name in DUTY_LINKS:
        assert reverse(name, kwargs={"pk": 1}), pattern
