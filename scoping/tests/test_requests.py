"""Scoping meeting requests: the three routes, the assistant director's decision, the
requester told, resubmission, the duties they open, and who may do what."""

import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties.models import Duty, Notification, RuleValue
from escalations.models import EscalationStage, IroEscalation
from placements import services as placement_services
from placements.models import Inspection, Rating
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from scoping import requests as services
from scoping.models import ScopingRequest, ScopingRequestEvent

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 2, 10, tzinfo=UTC)  # due dates: +5 wd 9 Nov, +10 wd 16 Nov
CHRISTMAS_EVE = datetime(2026, 12, 24, 10, tzinfo=UTC)  # Thu; 25, 28 Dec and 1 Jan are off
Status = ScopingRequest.Status
Kind = ScopingRequestEvent.Kind


@pytest.fixture
def director(db, assistant_director):
    return UserFactory(
        username="dir", role=Role.DIRECTOR, team=assistant_director.team, first_name="Dana"
    )


@pytest.fixture
def world(social_worker, other_team_worker, iro, lado, assistant_director):
    setting = SettingFactory(name="Oak House", urn="SC779001")
    child = ChildFactory(
        child_id="C000001",
        first_name="Ottoline",
        team=social_worker.team,
        social_worker=social_worker,
        iro=iro,
    )
    other = ChildFactory(
        child_id="C000002",
        first_name="Octavia",
        team=other_team_worker.team,
        social_worker=other_team_worker,
    )
    elsewhere = ChildFactory(
        child_id="C000003", team=social_worker.team, social_worker=social_worker
    )
    PlacementFactory(child=child, setting=setting, decom=date(2026, 1, 5))
    PlacementFactory(child=other, setting=setting, decom=date(2026, 1, 5))
    PlacementFactory(child=elsewhere, setting=SettingFactory(), decom=date(2026, 1, 5))
    return {"setting": setting, "child": child, "other": other, "elsewhere": elsewhere}


def submit(world, actor, **extra):
    fields = {
        "setting": world["setting"],
        "actor": actor,
        "concerns": "Restraint is used often and not recorded.",
        "what_was_tried": "Raised with the registered manager twice; no change.",
        "children": [world["child"]],
        **extra,
    }
    return services.request_submit(**fields)


def deadlines(as_of):
    out = io.StringIO()
    call_command("deadlines", "--as-of", as_of, "--kind", "scoping_meeting", stdout=out)
    return out.getvalue().splitlines()[1:]


def open_duty(subject):
    return Duty.objects.get(kind="scoping_meeting", subject=subject, status="open")


# --- Route 2 ------------------------------------------------------------------------------


@time_machine.travel(MONDAY, tick=False)
def test_route_2_goes_to_the_assistant_director(world, social_worker, assistant_director):
    request = submit(world, social_worker)
    assert (request.route, request.status) == ("professional", "submitted")
    assert list(request.children.all()) == [world["child"]]
    assert [e.kind for e in request.events.all()] == ["submitted"]
    duty = open_duty(f"scoping_request:{request.pk}")
    assert (duty.owner, duty.setting, duty.due) == (
        assistant_director,
        world["setting"],
        date(2026, 11, 9),
    )
    note = Notification.objects.get(user=assistant_director)
    assert note.url == reverse("scoping:request", args=[request.pk])
    assert note.email_status == Notification.Email.PENDING
    assert request.history.first().history_user == social_worker
    # The same request posted twice is made once.
    assert submit(world, social_worker).pk == request.pk
    assert ScopingRequest.objects.count() == 1


def test_route_2_says_what_was_tried(world, social_worker):
    with pytest.raises(ValidationError) as invalid:
        submit(world, social_worker, what_was_tried="  ")
    assert "what_was_tried" in invalid.value.message_dict
    assert not ScopingRequest.objects.exists() and not Duty.objects.exists()


def test_only_children_placed_there_and_visible(world, social_worker):
    for wrong in (world["other"], world["elsewhere"]):
        with pytest.raises(ValidationError) as invalid:
            submit(world, social_worker, children=[wrong])
        assert "children" in invalid.value.message_dict
    assert not ScopingRequest.objects.exists()


@time_machine.travel(MONDAY, tick=False)
def test_approve_tells_the_requester_and_opens_the_lado_duty(
    world, social_worker, assistant_director, lado
):
    request = submit(world, social_worker)
    services.request_decide(request=request, decision="approve", actor=assistant_director)
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", assistant_director)
    assert Duty.objects.get(subject=f"scoping_request:{request.pk}").status == "done"
    convene = services.convene_duty_for(request)
    assert convene == open_duty(f"scoping_request:{request.pk}:convene")
    assert (convene.team, convene.owner, convene.due) == (lado.team, None, date(2026, 11, 16))
    note = Notification.objects.get(user=social_worker)
    assert "approved" in note.subject and "Oak House" in note.body
    assert "Ottoline" not in note.subject + note.body
    assert [e.kind for e in request.events.all()] == ["submitted", "approved"]
    # A second click changes nothing.
    services.request_decide(request=request, decision="approve", actor=assistant_director)
    assert Notification.objects.filter(user=social_worker).count() == 1
    assert Duty.objects.filter(kind="scoping_meeting", status="open").count() == 1


def test_refuse_needs_reasons_then_resubmit(world, social_worker, assistant_director):
    request = submit(world, social_worker)
    with pytest.raises(ValidationError):
        services.request_decide(request=request, decision="refuse", actor=assistant_director)
    services.request_decide(
        request=request,
        decision="refuse",
        reasons="Nothing has been raised with the provider yet.",
        actor=assistant_director,
    )
    request.refresh_from_db()
    assert request.status == "refused"
    assert services.convene_duty_for(request) is None
    note = Notification.objects.get(user=social_worker)
    assert "refused" in note.subject and "Nothing has been raised" in note.body

    services.request_resubmit(
        request=request,
        actor=social_worker,
        concerns=request.concerns,
        what_was_tried="Letter to the responsible individual on 1 October; no reply.",
    )
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("submitted", None)
    assert "Letter" in request.what_was_tried
    assert open_duty(f"scoping_request:{request.pk}").owner == assistant_director
    assert [e.kind for e in request.events.all()] == ["submitted", "refused", "resubmitted"]
    # Now approved on the second go.
    services.request_decide(request=request, decision="approve", actor=assistant_director)
    assert ScopingRequest.objects.get().status == "approved"


def test_more_information_then_resubmit(world, social_worker, assistant_director, director):
    request = submit(world, social_worker)
    with pytest.raises(ValidationError):
        services.request_decide(
            request=request, decision="more_information", reasons=" ", actor=director
        )
    services.request_decide(
        request=request,
        decision="more_information",
        reasons="When did you write to the provider?",
        actor=director,
    )
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("more_information", director)
    assert "When did you write" in Notification.objects.get(user=social_worker).body
    services.request_resubmit(
        request=request, actor=social_worker, concerns="More", what_was_tried="On 3 October."
    )
    assert ScopingRequest.objects.get().status == "submitted"


def test_who_may_decide_and_resubmit(world, social_worker, team_manager, assistant_director):
    request = submit(world, social_worker)
    with pytest.raises(PermissionDenied):
        services.request_decide(request=request, decision="approve", actor=team_manager)
    with pytest.raises(ValidationError):  # not refused
        services.request_resubmit(
            request=request, actor=social_worker, concerns="x", what_was_tried="y"
        )
    services.request_decide(
        request=request, decision="refuse", reasons="No", actor=assistant_director
    )
    with pytest.raises(PermissionDenied):
        services.request_resubmit(
            request=request, actor=team_manager, concerns="x", what_was_tried="y"
        )
    with pytest.raises(ValidationError):  # already decided otherwise
        services.request_decide(request=request, decision="approve", actor=assistant_director)


# --- Routes 3 and 1 -----------------------------------------------------------------------


@time_machine.travel(MONDAY, tick=False)
def test_route_3_assistant_director_needs_no_approval(world, assistant_director, lado):
    request = submit(world, assistant_director, what_was_tried="")
    assert (request.route, request.status) == ("corporate_parenting", "approved")
    assert request.decided_by == assistant_director
    assert not Duty.objects.filter(subject=f"scoping_request:{request.pk}").exists()
    assert services.convene_duty_for(request).due == date(2026, 11, 16)
    assert [e.kind for e in request.events.all()] == ["submitted", "approved"]


@time_machine.travel(MONDAY, tick=False)
def test_route_1_lado_pattern_of_concern_in_the_browser(client, world, lado):
    client.force_login(lado)
    url = reverse("scoping:request_create") + f"?setting={world['setting'].pk}"
    page = client.get(url)
    assert "pattern of concern" in page.content.decode()
    response = client.post(url, {"concerns": "Three allegations this year; no learning."})
    request = ScopingRequest.objects.get()
    assert response.url == reverse("scoping:request", args=[request.pk])
    assert (request.route, request.status, request.requested_by) == ("concerns", "approved", lado)
    duty = services.convene_duty_for(request)
    assert duty.subject == f"setting:{world['setting'].pk}:scoping"
    assert (duty.team, duty.due) == (lado.team, date(2026, 11, 16))


def _inadequate(setting, actor=None):
    if not setting.inspections.exists():
        Inspection.objects.create(
            setting=setting,
            inspection_date=date(2025, 5, 1),
            overall_judgement=Rating.GOOD,
            recorded_on=date(2025, 6, 1),
        )
        setting.current_rating = Rating.GOOD
        setting.save()
    return placement_services.inspection_record(
        setting=setting,
        inspection_date=date(2026, 10, 14),
        overall_judgement=Rating.INADEQUATE,
        recorded_on=date(2026, 11, 2),
        actor=actor,
    )


def test_route_1_from_an_inadequate_judgement(world, lado):
    _inadequate(world["setting"])
    _inadequate(world["setting"])  # the same judgement again
    request = ScopingRequest.objects.get()
    assert (request.route, request.status, request.requested_by) == ("concerns", "approved", lado)
    assert request.inspection.overall_judgement == Rating.INADEQUATE
    assert set(request.children.all()) == {world["child"], world["other"]}
    # Its convening duty is the one the judgement opened.
    duty = services.convene_duty_for(request)
    assert duty.subject == f"setting:{world['setting'].pk}:scoping"
    assert Duty.objects.filter(kind="scoping_meeting").count() == 1


def test_route_1_by_the_recorder_and_without_a_lado_officer(world, lado, commissioning):
    _inadequate(world["setting"], actor=commissioning)
    assert ScopingRequest.objects.get().requested_by == commissioning
    ScopingRequest.objects.all().delete()
    Duty.objects.all().delete()
    lado.is_active = False
    lado.save()
    other = SettingFactory()
    _inadequate(other)
    assert not ScopingRequest.objects.exists()  # nobody to name as the requester...
    assert Duty.objects.filter(kind="scoping_meeting", setting=other).exists()  # ...the duty


def test_an_awaiting_decision_does_not_stop_the_inadequate_duty(world, social_worker):
    submit(world, social_worker)
    _inadequate(world["setting"])
    assert open_duty(f"setting:{world['setting'].pk}:scoping").team.kind == "lado_service"


# --- From an IRO escalation ---------------------------------------------------------------


@pytest.fixture
def escalation(world, iro, team_manager):
    escalation = IroEscalation.objects.create(
        child=world["child"],
        setting=world["setting"],
        raised_by=iro,
        raised_on=date(2026, 9, 1),
        concern="Bedroom doors locked at night.",
        resolution_sought="Stop locking doors.",
        stage=IroEscalation.Stage.TEAM_MANAGER,
        serious_systemic=True,
    )
    EscalationStage.objects.create(
        escalation=escalation,
        stage=IroEscalation.Stage.TEAM_MANAGER,
        respondent=team_manager,
        opened_on=date(2026, 9, 1),
        due=date(2026, 9, 8),
        response="The provider will not change it.",
    )
    return escalation


def test_iro_requests_from_an_escalation(client, world, iro, escalation, assistant_director):
    client.force_login(iro)
    url = reverse("scoping:request_create") + f"?escalation={escalation.pk}"
    page = client.get(url).content.decode()
    assert "Bedroom doors locked at night." in page
    assert "Formal stage 1: team manager: opened 01/09/2026" in page
    assert "The provider will not change it." in page
    response = client.post(
        url, {"concerns": "Bedroom doors locked.", "what_was_tried": "Stage 1 exhausted."}
    )
    assert response.status_code == 302
    request = ScopingRequest.objects.get()
    assert (request.escalation, request.setting, request.route) == (
        escalation,
        world["setting"],
        "professional",
    )
    assert list(request.children.all()) == [world["child"]]
    escalation.refresh_from_db()
    assert escalation.status == IroEscalation.Status.SCOPING_REQUESTED
    # A second click goes to the request made.
    again = client.post(url, {"concerns": "Bedroom doors locked.", "what_was_tried": "Stage 1."})
    assert again.url == reverse("scoping:request", args=[request.pk])
    assert ScopingRequest.objects.count() == 1
    assert escalation.history.first().history_user == iro


def test_not_before_the_stages_are_exhausted(client, world, iro, escalation):
    escalation.serious_systemic = False
    escalation.save()
    client.force_login(iro)
    url = reverse("scoping:request_create") + f"?escalation={escalation.pk}"
    page = client.post(url, {"concerns": "x", "what_was_tried": "y"}).content.decode()
    assert "There is a problem" in page and "once the stages are exhausted" in page
    assert not ScopingRequest.objects.exists()
    escalation.refresh_from_db()
    assert escalation.status == IroEscalation.Status.OPEN


def test_only_the_escalations_iro_may_use_it(client, world, escalation):
    other_iro = UserFactory(role=Role.IRO)
    client.force_login(other_iro)
    url = reverse("scoping:request_create") + f"?escalation={escalation.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"concerns": "x", "what_was_tried": "y"}).status_code == 404
    assert not ScopingRequest.objects.exists()


# --- Views and permissions ----------------------------------------------------------------


def test_the_browser_journey(client, world, social_worker, assistant_director):
    client.force_login(social_worker)
    setting_page = client.get(reverse("placements:setting", args=[world["setting"].pk]))
    create = reverse("scoping:request_create") + f"?setting={world['setting'].pk}"
    assert create.replace("?", "?") in setting_page.content.decode().replace("&amp;", "&")
    assert client.post(create, {"concerns": "x"}).status_code == 200  # no what_was_tried
    response = client.post(
        create,
        {
            "concerns": "Bruises.",
            "what_was_tried": "Met the manager.",
            "children": [world["child"].pk],
        },
    )
    request = ScopingRequest.objects.get()
    assert response.url == reverse("scoping:request", args=[request.pk])

    client.force_login(assistant_director)
    decide = reverse("scoping:request_decide", args=[request.pk])
    assert "There is a problem" in client.post(decide, {"decision": "refuse"}).content.decode()
    client.post(decide, {"decision": "refuse", "reasons": "Try the provider first."})
    assert ScopingRequest.objects.get().status == "refused"
    assert client.get(decide).status_code == 302  # no longer waiting

    client.force_login(social_worker)
    resubmit = reverse("scoping:request_resubmit", args=[request.pk])
    assert "Try the provider first." in client.get(resubmit).content.decode()
    client.post(resubmit, {"concerns": "Bruises.", "what_was_tried": "Wrote to the RI."})
    detail = client.get(reverse("scoping:request", args=[request.pk])).content.decode()
    assert "Resubmitted" in detail and "Refused" in detail and "Ottoline" in detail


def test_who_sees_what(client, world, social_worker, other_team_worker, lado, assistant_director):
    request = submit(world, social_worker, children=[world["child"]])
    detail = reverse("scoping:request", args=[request.pk])
    client.force_login(other_team_worker)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("scoping:request_decide", args=[request.pk])).status_code == 403
    assert client.get(reverse("scoping:request_resubmit", args=[request.pk])).status_code == 404
    assert "Oak House" not in client.get(reverse("scoping:requests")).content.decode()
    client.force_login(lado)
    # The LADO service sees requests to convene, not those awaiting a decision.
    assert "Oak House" not in client.get(reverse("scoping:requests")).content.decode()
    assert client.get(detail).status_code == 200
    assert client.get(reverse("scoping:request_create")).status_code == 200
    client.force_login(assistant_director)
    assert "Oak House" in client.get(reverse("scoping:requests")).content.decode()
    assert client.get(reverse("scoping:request_resubmit", args=[request.pk])).status_code == 403


def test_a_page_names_only_children_its_reader_sees(client, world, social_worker, lado):
    world["child"].restricted = True
    world["child"].save()
    request = submit(world, social_worker)
    client.force_login(lado)
    page = client.get(reverse("scoping:request", args=[request.pk])).content.decode()
    assert "Ottoline" not in page and "C000001" not in page


def test_the_list_puts_those_awaiting_a_decision_first(
    client, world, social_worker, assistant_director
):
    approved = submit(world, assistant_director, concerns="Earlier")
    waiting = submit(world, social_worker)
    client.force_login(assistant_director)
    rows = list(client.get(reverse("scoping:requests")).context["rows"])
    assert rows == [waiting, approved]


def _make_requests(world, social_worker, n):
    for i in range(n):
        submit(world, social_worker, concerns=f"Concern {i}")


@pytest.mark.parametrize("persona", ["assistant_director", "social_worker", "lado"])
def test_list_query_count_does_not_grow(
    client, world, social_worker, django_assert_num_queries, persona, request
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    _make_requests(world, social_worker, 2)
    client.get(reverse("scoping:requests"))  # warm the session
    with django_assert_num_queries(7) as small:
        client.get(reverse("scoping:requests"))
    _make_requests(world, social_worker, 8)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("scoping:requests"))


# --- Duties: deadlines, worktray and the edges --------------------------------------------


def test_duties_in_deadlines_and_the_worktray(
    client, world, social_worker, assistant_director, lado
):
    with time_machine.travel(MONDAY, tick=False):
        request = submit(world, social_worker)
        row = "scoping_meeting,,SC779001,2026-11-09,{},ad"
        assert deadlines("2026-11-06") == [row.format("open")]  # the day before: Friday
        assert deadlines("2026-11-09") == [row.format("open")]  # on the day
        assert deadlines("2026-11-10") == [row.format("overdue")]  # the day after
        client.force_login(assistant_director)
        tray = client.get(reverse("duties:worktray")).content.decode()
        assert reverse("scoping:request", args=[request.pk]) in tray
        services.request_decide(request=request, decision="approve", actor=assistant_director)
        rows = deadlines("2026-11-02")
        assert "scoping_meeting,,SC779001,2026-11-09,done,ad" in rows
        assert "scoping_meeting,,SC779001,2026-11-16,open," in rows
        assert deadlines("2026-11-17")[-1] == "scoping_meeting,,SC779001,2026-11-16,overdue,"
        client.force_login(lado)
        tray = client.get(reverse("duties:worktray")).content.decode()
        assert reverse("scoping:request", args=[request.pk]) in tray


def test_bank_holidays_are_not_working_days(world, social_worker, assistant_director):
    with time_machine.travel(CHRISTMAS_EVE, tick=False):
        request = submit(world, social_worker)
        assert open_duty(f"scoping_request:{request.pk}").due == date(2027, 1, 5)
        services.request_decide(request=request, decision="approve", actor=assistant_director)
        assert services.convene_duty_for(request).due == date(2027, 1, 12)


def test_the_days_are_rules_an_administrator_can_change(world, social_worker, assistant_director):
    RuleValue.objects.create(name="scoping_request_decision_days", value=1)
    RuleValue.objects.create(name="scoping_meeting_convene_days", value=2)
    with time_machine.travel(MONDAY, tick=False):
        request = submit(world, social_worker)
        assert open_duty(f"scoping_request:{request.pk}").due == date(2026, 11, 3)
        services.request_decide(request=request, decision="approve", actor=assistant_director)
        assert services.convene_duty_for(request).due == date(2026, 11, 4)
