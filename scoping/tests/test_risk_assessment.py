"""The risk assessment of seed 000: form, three sign-offs in order, returns, PDF."""

import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from duties.models import Duty, Notification
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from scoping import services
from scoping.models import RiskAssessment, RiskAssessmentSignOff

pytestmark = pytest.mark.django_db

SECTIONS = {
    "context_of_risk": "Ofsted judged the home inadequate on 2 March.",
    "risk_analysis": "Restraint used three times in a month.",
    "protective_factors": "Waking night staff, verified.",
    "voice_of_child": "She says she feels safe with her key worker.",
    "analysis_and_plan": "Visit weekly; review in four weeks.",
}


def make_ra(child, setting=None, placement=None):
    """As the downgrade workflow (escalations) opens them: the row and its duty."""
    today = timezone.localdate()
    setting = setting or (placement.setting if placement else SettingFactory())
    ra = RiskAssessment.objects.create(
        child=child,
        setting=setting,
        placement=placement,
        trigger=RiskAssessment.Trigger.INADEQUATE,
        owner=child.social_worker,
        opened_on=today,
        due=today + timedelta(days=5),
    )
    Duty.objects.create(
        kind="risk_assessment",
        subject=f"risk_assessment:{ra.pk}",
        child=child,
        setting=setting,
        owner=child.social_worker,
        due=ra.due,
    )
    return ra


@pytest.fixture
def child(social_worker):
    return ChildFactory(
        team=social_worker.team,
        social_worker=social_worker,
        first_name="Ava",
        last_name="Ownteam",
        date_of_birth=date(2012, 5, 17),
    )


@pytest.fixture
def ra(child):
    setting = SettingFactory(name="Willow House")
    placement = PlacementFactory(child=child, setting=setting, decom=date(2025, 1, 6), place="K2")
    return make_ra(child, placement=placement)


def fill(ra, actor, **overrides):
    return services.ra_save_draft(
        ra=ra, actor=actor, data={**SECTIONS, "placed_with": "Willow House", **overrides}
    )


def form_data(**overrides):
    data = {
        "placed_with": "Willow House",
        "carers_and_agency": "Oak Care Ltd",
        "placement_type": "K2",
        "placement_start_0": "6",
        "placement_start_1": "1",
        "placement_start_2": "2025",
        **SECTIONS,
    }
    data.update(overrides)
    return data


# --- The workflow -------------------------------------------------------------------------


def test_three_sign_offs_in_order_with_a_return(ra, social_worker, team_manager, service_manager):
    fill(ra, social_worker)
    ra = services.ra_sign(ra=ra, actor=social_worker)
    assert ra.status == RiskAssessment.Status.WITH_TEAM_MANAGER
    duty = Duty.objects.get(subject=f"risk_assessment:{ra.pk}")
    assert duty.status == Duty.Status.DONE and duty.done_on == timezone.localdate()

    ra = services.ra_return(ra=ra, actor=team_manager, comments="Say who verified the staffing.")
    assert ra.status == RiskAssessment.Status.RETURNED
    fill(ra, social_worker, protective_factors="Waking night staff, verified by Jo on 3 March.")
    ra = services.ra_sign(ra=ra, actor=social_worker)
    ra = services.ra_sign(ra=ra, actor=team_manager)
    assert ra.status == RiskAssessment.Status.WITH_SERVICE_MANAGER
    ra = services.ra_sign(ra=ra, actor=service_manager)
    assert ra.status == RiskAssessment.Status.SIGNED_OFF

    trail = [(s.role, s.decision) for s in ra.sign_offs.all()]
    assert trail == [
        ("lead_professional", "signed"),
        ("team_manager", "returned"),
        ("lead_professional", "signed"),
        ("team_manager", "signed"),
        ("service_manager", "signed"),
    ]
    assert ra.history.count() >= 6
    # Each next signer is told, by 903 ID and never by name.
    keys = dict(
        Notification.objects.filter(key__startswith=f"ra:{ra.pk}:").values_list("key", "user")
    )
    assert keys[f"ra:{ra.pk}:team_manager:1"] == team_manager.pk
    assert keys[f"ra:{ra.pk}:returned:2"] == social_worker.pk
    assert keys[f"ra:{ra.pk}:service_manager:4"] == service_manager.pk
    for note in Notification.objects.all():
        assert "Ava" not in note.subject and "Ownteam" not in note.body
        assert ra.child.child_id in note.subject


def test_order_is_enforced(ra, social_worker, team_manager, service_manager):
    fill(ra, social_worker)
    with pytest.raises(services.WrongStep):
        services.ra_sign(ra=ra, actor=team_manager)
    with pytest.raises(services.WrongStep):
        services.ra_sign(ra=ra, actor=service_manager)
    services.ra_sign(ra=ra, actor=social_worker)
    with pytest.raises(services.WrongStep):
        services.ra_sign(ra=ra, actor=social_worker)  # a second click
    with pytest.raises(services.WrongStep):
        services.ra_sign(ra=ra, actor=service_manager)
    with pytest.raises(services.WrongStep):
        services.ra_save_draft(ra=ra, actor=social_worker, data={"risk_analysis": "late"})
    assert RiskAssessmentSignOff.objects.count() == 1


def test_signing_needs_every_section(ra, social_worker):
    services.ra_save_draft(ra=ra, actor=social_worker, data={"context_of_risk": "Only this."})
    with pytest.raises(ValidationError) as raised:
        services.ra_sign(ra=ra, actor=social_worker)
    assert "risk_analysis" in raised.value.message_dict
    ra.refresh_from_db()
    assert ra.status == RiskAssessment.Status.OPEN
    assert ra.context_of_risk == "Only this."


def test_a_return_needs_comments(ra, social_worker, team_manager):
    fill(ra, social_worker)
    services.ra_sign(ra=ra, actor=social_worker)
    with pytest.raises(ValidationError):
        services.ra_return(ra=ra, actor=team_manager, comments="   ")
    ra.refresh_from_db()
    assert ra.status == RiskAssessment.Status.WITH_TEAM_MANAGER


# --- The pages ----------------------------------------------------------------------------


def test_edit_keeps_the_draft_and_shows_what_is_missing(client, ra, social_worker):
    client.force_login(social_worker)
    url = reverse("scoping:risk_assessment_edit", args=[ra.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Willow House, Maidstone' in page.content.decode()  # prefilled
    # An impossible date: everything else is kept, and the date is marked.
    response = client.post(url, form_data(risk_analysis="", placement_start_1="13"))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    ra.refresh_from_db()
    assert ra.context_of_risk == SECTIONS["context_of_risk"]
    assert ra.placement_start is None
    # Signing with a section empty: saved, not signed, the section marked.
    response = client.post(url, form_data(risk_analysis="", action="sign"))
    body = response.content.decode()
    assert "There is a problem" in body and "Give your risk analysis" in body
    ra.refresh_from_db()
    assert ra.status == RiskAssessment.Status.OPEN
    assert ra.placement_start == date(2025, 1, 6)
    response = client.post(url, form_data(action="sign"))
    assert response.status_code == 302
    ra.refresh_from_db()
    assert ra.status == RiskAssessment.Status.WITH_TEAM_MANAGER
    assert ra.placement_start == date(2025, 1, 6)


def test_return_page_requires_comments(client, ra, social_worker, team_manager):
    fill(ra, social_worker)
    services.ra_sign(ra=ra, actor=social_worker)
    client.force_login(team_manager)
    url = reverse("scoping:risk_assessment_return", args=[ra.pk])
    response = client.post(url, {"comments": ""})
    assert response.status_code == 200
    assert "Say what needs to change" in response.content.decode()
    assert client.post(url, {"comments": "More detail."}).status_code == 302
    ra.refresh_from_db()
    assert ra.status == RiskAssessment.Status.RETURNED


def test_the_wrong_person_gets_403(client, ra, social_worker, team_manager, service_manager):
    fill(ra, social_worker)
    sign = reverse("scoping:risk_assessment_sign", args=[ra.pk])
    client.force_login(team_manager)
    assert client.post(sign).status_code == 403
    assert client.get(reverse("scoping:risk_assessment_edit", args=[ra.pk])).status_code == 403
    services.ra_sign(ra=ra, actor=social_worker)
    client.force_login(social_worker)
    assert client.post(sign).status_code == 403
    assert client.get(reverse("scoping:risk_assessment_return", args=[ra.pk])).status_code == 403
    client.force_login(service_manager)
    assert client.post(sign).status_code == 403
    client.force_login(team_manager)
    assert client.post(sign).status_code == 302
    ra.refresh_from_db()
    assert ra.status == RiskAssessment.Status.WITH_SERVICE_MANAGER


def test_another_team_gets_404(client, ra, other_team_worker):
    client.force_login(other_team_worker)
    for name in (
        "risk_assessment",
        "risk_assessment_edit",
        "risk_assessment_return",
        "risk_assessment_pdf",
    ):
        assert client.get(reverse(f"scoping:{name}", args=[ra.pk])).status_code == 404
    assert client.post(reverse("scoping:risk_assessment_sign", args=[ra.pk])).status_code == 404
    listing = client.get(reverse("scoping:risk_assessments")).content.decode()
    assert ra.child.child_id not in listing


def test_free_text_is_escaped(client, ra, social_worker):
    fill(ra, social_worker, context_of_risk="<script>alert(1)</script>")
    client.force_login(social_worker)
    body = client.get(reverse("scoping:risk_assessment", args=[ra.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_list_takes_a_fixed_number_of_queries(
    client, social_worker, team_manager, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            make_ra(ChildFactory(team=social_worker.team, social_worker=social_worker))

    url = reverse("scoping:risk_assessments")
    for user in (social_worker, team_manager):
        client.force_login(user)
        add(1)
        client.get(url)  # warm caches (content types, session)
        with django_assert_num_queries(QUERIES) as small:
            assert client.get(url).status_code == 200
        add(5)
        with django_assert_num_queries(QUERIES) as large:
            body = client.get(url).content.decode()
        assert len(small.captured_queries) == len(large.captured_queries)
        assert body.count("risk assessment</span>") == RiskAssessment.objects.count()


QUERIES = 7


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_pdf_follows_the_paper_form(client, ra, social_worker, team_manager, tmp_path):
    fill(ra, social_worker, context_of_risk="<b>Restraint</b> & seclusion")
    services.ra_sign(ra=ra, actor=social_worker)
    services.ra_return(ra=ra, actor=team_manager, comments="Add the dates.")
    client.force_login(social_worker)
    response = client.get(reverse("scoping:risk_assessment_pdf", args=[ra.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "ra.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    for heading in (
        "OFFICIAL-SENSITIVE",
        "Risk assessment",
        "Placement information",
        "Context of the reported risk of concern",
        "Risk analysis",
        "Protective and mitigating factors",
        "Voice of the child or young person",
        "Analysis",
        "Signatures",
        "Lead professional",
        "Team manager",
        "Service manager",
        "Add the dates.",
    ):
        assert heading in text, heading
    assert "<b>Restraint</b> & seclusion" in text  # shown as typed, not as markup
    assert "Sam Worker" in text
    assert "Provider" in text and "Ltd" in text  # carers and agency, from the placement


def test_a_restricted_childs_assessment_is_signed_off_by_the_service_manager(
    client, child, social_worker, team_manager, service_manager
):
    """Issue 24, finding 2: the service manager who signs last is two levels above the
    child's social worker, and a restricted record was seen one level up only, so the
    sign-off page answered 404 to the person notified to sign. Now the chain sees it, and
    the view is logged."""
    from placements.models import AccessLog

    child.restricted = True
    child.save()
    setting = SettingFactory(name="Willow House")
    placement = PlacementFactory(child=child, setting=setting, decom=date(2025, 1, 6), place="K2")
    ra = make_ra(child, placement=placement)
    fill(ra, social_worker)
    ra = services.ra_sign(ra=ra, actor=social_worker)
    ra = services.ra_sign(ra=ra, actor=team_manager)
    assert ra.status == RiskAssessment.Status.WITH_SERVICE_MANAGER
    client.force_login(service_manager)
    assert client.get(reverse("scoping:risk_assessment", args=[ra.pk])).status_code == 200
    response = client.post(reverse("scoping:risk_assessment_sign", args=[ra.pk]))
    assert response.status_code == 302
    ra.refresh_from_db()
    assert ra.status == RiskAssessment.Status.SIGNED_OFF
    assert AccessLog.objects.filter(
        user=service_manager, child=child, action=AccessLog.Action.VIEW_RESTRICTED
    ).exists()
