"""IRO escalations: the stages, their deadlines as duties, who may do what, the pages."""

import importlib
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties import alerts
from duties.models import Alert, Duty, Notification, RuleValue
from escalations import iro as esc
from escalations.models import EscalationStage, IroEscalation
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from visits.models import Visit
from visits.tests.factories import VisitFactory

LONDON = ZoneInfo("Europe/London")
Stage = IroEscalation.Stage
MONDAY = date(2026, 11, 2)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def travel(day: date):
    return time_machine.travel(at(day), tick=False)


@pytest.fixture
def child(social_worker, iro):
    return ChildFactory(
        child_id="E300001",
        first_name="Ellis",
        last_name="Escalate",
        team=social_worker.team,
        social_worker=social_worker,
        iro=iro,
    )


@pytest.fixture
def setting():
    return SettingFactory(name="Birch House", urn="SC300001")


@pytest.fixture
def placement(child, setting):
    return PlacementFactory(child=child, setting=setting, decom=date(2026, 1, 5))


@pytest.fixture
def visit(child, placement, social_worker):
    return VisitFactory(
        child=child,
        placement=placement,
        setting=placement.setting,
        visitor=social_worker,
        on=date(2026, 10, 20),
    )


def raise_one(child, actor, today=MONDAY, **extra):
    fields = {
        "concern": "Night staffing is below the plan.",
        "evidence": "Rota seen on 20 October.",
        "evidence_visits": [],
        "resolution_sought": "Two waking staff every night.",
        "serious_systemic": False,
    }
    fields.update(extra)
    return esc.escalation_raise(child=child, actor=actor, today=today, **fields)


def duty_of(stage: EscalationStage) -> Duty:
    return Duty.objects.get(kind="escalation_response", subject=f"escalation_stage:{stage.pk}")


def advance(escalation, actor, today):
    escalation.refresh_from_db()
    return esc.escalation_advance(
        escalation=escalation,
        reasons="No reply by the deadline.",
        from_stage=escalation.stage,
        actor=actor,
        today=today,
    )


def deadlines(*args) -> list[str]:
    out = StringIO()
    call_command("deadlines", *args, stdout=out)
    return out.getvalue().splitlines()


# --- Timescales ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "opened_on", "due"),
    [
        # Monday: 5 working days is the next Monday.
        (Stage.INFORMAL, date(2026, 11, 2), date(2026, 11, 9)),
        # Over a month end: Friday 27 November -> Friday 4 December.
        (Stage.TEAM_MANAGER, date(2026, 11, 27), date(2026, 12, 4)),
        # Over Christmas 2026: 25 December (Friday) and 28 December (Boxing Day's
        # substitute) are bank holidays in England.
        (Stage.INFORMAL, date(2026, 12, 18), date(2026, 12, 29)),
        (Stage.SERVICE_MANAGER, date(2026, 12, 18), date(2027, 1, 6)),  # and New Year's Day
        (Stage.ASSISTANT_DIRECTOR, date(2026, 11, 2), date(2026, 11, 16)),
        # Opened on a Saturday: day 1 is the Monday.
        (Stage.INFORMAL, date(2026, 11, 7), date(2026, 11, 13)),
    ],
)
@pytest.mark.django_db
def test_the_reply_is_due_in_working_days_from_the_rule_values(stage, opened_on, due):
    assert esc.response_due(stage, opened_on) == due


@pytest.mark.django_db
def test_the_timescales_are_seeded_rule_values_an_administrator_changes(
    client, administrator, child, iro
):
    # The migration's seed (run again here: a transactional test elsewhere may have
    # flushed the table); it leaves existing rows alone.
    migration = importlib.import_module("escalations.migrations.0004_seed_escalation_timescales")
    # The models as they stood when it ran (rule values were visits' then).
    loader = MigrationLoader(connection)
    then = loader.project_state(("escalations", "0004_seed_escalation_timescales")).apps
    migration.seed(then, None)
    migration.seed(then, None)
    rows = {r.name: r for r in RuleValue.objects.filter(name__startswith="escalation_")}
    assert {name: r.value for name, r in rows.items()} == {
        "escalation_informal_working_days": 5,
        "escalation_team_manager_working_days": 5,
        "escalation_service_manager_working_days": 10,
        "escalation_assistant_director_working_days": 10,
    }
    rule = rows["escalation_informal_working_days"]
    assert "authority's to set" in rule.help_text and rule.source.startswith("Seed 000")
    client.force_login(administrator)
    response = client.post(reverse("admin:duties_rulevalue_change", args=[rule.pk]), {"value": "3"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.value == 3
    assert rule.history.latest().history_user == administrator
    escalation = raise_one(child, iro)
    assert escalation.stages.get().due == date(2026, 11, 5)  # Monday + 3 working days
    response = client.post(reverse("admin:duties_rulevalue_change", args=[rule.pk]), {"value": "0"})
    assert response.status_code == 200  # refused, with the form again
    rule.refresh_from_db()
    assert rule.value == 3


# --- Raising -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_raising_opens_the_informal_stage_for_the_social_worker(
    child, placement, visit, iro, social_worker
):
    escalation = raise_one(child, iro, evidence_visits=[visit])
    assert (escalation.stage, escalation.status) == (Stage.INFORMAL, IroEscalation.Status.OPEN)
    assert (escalation.placement, escalation.setting) == (placement, placement.setting)
    assert list(escalation.evidence_visits.all()) == [visit]
    assert escalation.history.latest().history_user == iro
    stage = escalation.stages.get()
    assert (stage.stage, stage.respondent, stage.opened_on, stage.due) == (
        Stage.INFORMAL,
        social_worker,
        MONDAY,
        date(2026, 11, 9),
    )
    duty = duty_of(stage)
    assert (duty.owner, duty.team, duty.child, duty.setting, duty.placement) == (
        social_worker,
        social_worker.team,
        child,
        placement.setting,
        placement,
    )
    assert (duty.status, duty.due) == (Duty.Status.OPEN, date(2026, 11, 9))
    assert "Ellis" not in duty.basis and "Escalate" not in duty.basis
    assert "5 working days of 02 November 2026" in duty.basis
    assert (
        duty.source
        == "Seed 000 'IRO Escalation Process'; RuleValue escalation_informal_working_days"
    )
    assert duty.link == reverse("escalations:escalation_stage", kwargs={"pk": stage.pk})
    note = Notification.objects.get(user=social_worker)
    assert note.key == f"escalation_stage:{stage.pk}:opened"
    assert "E300001" in note.subject and "Ellis" not in note.subject + note.body
    assert "09 November 2026" in note.subject
    assert note.email_status == Notification.Email.PENDING
    assert note.url == duty.link


@pytest.mark.django_db
def test_raising_twice_by_a_double_post_gives_back_the_first(child, iro):
    first = raise_one(child, iro)
    assert raise_one(child, iro) == first
    assert IroEscalation.objects.count() == 1
    assert Duty.objects.filter(kind="escalation_response").count() == 1


@pytest.mark.django_db
def test_only_an_iro_who_reviews_the_child_raises(child, social_worker, team_manager, iro):
    other_iro = UserFactory(role=Role.IRO, team=iro.team)
    for actor in (social_worker, team_manager, other_iro):
        with pytest.raises(PermissionDenied):
            raise_one(child, actor)
    assert not IroEscalation.objects.exists()


@pytest.mark.django_db
def test_raising_needs_a_concern_a_resolution_and_the_childs_own_finished_visits(child, iro):
    not_theirs = VisitFactory()
    draft = VisitFactory(child=child, status=Visit.Status.DRAFT, visited_at=None, finished_at=None)
    with pytest.raises(ValidationError) as raised:
        raise_one(child, iro, concern=" ", resolution_sought="", evidence_visits=[not_theirs])
    assert set(raised.value.message_dict) == {"concern", "resolution_sought", "evidence_visits"}
    with pytest.raises(ValidationError):
        raise_one(child, iro, evidence_visits=[draft])
    assert not IroEscalation.objects.exists() and not Duty.objects.exists()


@pytest.mark.django_db
def test_without_a_social_worker_the_team_manager_replies_informally(
    child, iro, team_manager, social_worker
):
    social_worker.is_active = False
    social_worker.save()
    stage = raise_one(child, iro).stages.get()
    assert stage.respondent == team_manager


# --- Replying ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_respondent_replies_once_the_duty_is_done_and_the_iro_told(
    child, iro, social_worker, team_manager
):
    stage = raise_one(child, iro).stages.get()
    with pytest.raises(PermissionDenied):
        iro_module_reply(stage, team_manager, date(2026, 11, 4))
    iro_module_reply(stage, social_worker, date(2026, 11, 4))
    stage.refresh_from_db()
    assert stage.response == "The rota is fixed from Monday."
    assert (stage.responded_by, stage.closed_on) == (social_worker, None)
    assert stage.history.latest().history_user == social_worker
    duty = duty_of(stage)
    assert (duty.status, duty.done_on) == (Duty.Status.DONE, date(2026, 11, 4))
    note = Notification.objects.get(user=iro)
    assert note.key == f"escalation_stage:{stage.pk}:reply"
    assert note.url == reverse("escalations:iro_escalation", kwargs={"pk": stage.escalation_id})
    with pytest.raises(ValidationError):
        iro_module_reply(stage, social_worker, date(2026, 11, 5))


def iro_module_reply(stage, actor, day):
    return esc.stage_respond(
        stage=stage, response="The rota is fixed from Monday.", actor=actor, now=at(day)
    )


# --- Moving on, resolving ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_stages_in_order_each_with_its_respondent_and_duty(
    child, iro, social_worker, team_manager, service_manager, assistant_director
):
    escalation = raise_one(child, iro)
    informal = escalation.stages.get()
    with pytest.raises(ValidationError):
        esc.escalation_advance(
            escalation=escalation, reasons=" ", from_stage=Stage.INFORMAL, actor=iro, today=MONDAY
        )
    with pytest.raises(PermissionDenied):
        advance(escalation, team_manager, date(2026, 11, 10))
    stage1 = advance(escalation, iro, date(2026, 11, 10))
    assert (stage1.stage, stage1.respondent, stage1.due) == (
        Stage.TEAM_MANAGER,
        team_manager,
        date(2026, 11, 17),
    )
    assert stage1.reasons == "No reply by the deadline."
    informal.refresh_from_db()
    assert informal.closed_on == date(2026, 11, 10)
    assert duty_of(informal).status == Duty.Status.CANCELLED
    assert duty_of(stage1).owner == team_manager
    # The same form posted twice moves it on once.
    with pytest.raises(ValidationError):
        esc.escalation_advance(
            escalation=escalation,
            reasons="Again",
            from_stage=Stage.INFORMAL,
            actor=iro,
            today=date(2026, 11, 10),
        )
    stage2 = advance(escalation, iro, date(2026, 11, 18))
    assert (stage2.stage, stage2.respondent) == (Stage.SERVICE_MANAGER, service_manager)
    stage3 = advance(escalation, iro, date(2026, 12, 3))
    assert (stage3.stage, stage3.respondent, stage3.due) == (
        Stage.ASSISTANT_DIRECTOR,
        assistant_director,
        date(2026, 12, 17),
    )
    with pytest.raises(ValidationError):
        advance(escalation, iro, date(2026, 12, 4))
    escalation.refresh_from_db()
    assert escalation.stage == Stage.ASSISTANT_DIRECTOR
    assert escalation.history.latest().history_user == iro
    assert Duty.objects.filter(kind="escalation_response", status="open").count() == 1
    assert Notification.objects.filter(user=assistant_director).count() == 1


@pytest.mark.django_db
def test_a_scoping_meeting_once_the_stages_are_exhausted(
    child, iro, team_manager, service_manager, assistant_director
):
    escalation = raise_one(child, iro)
    advance(escalation, iro, date(2026, 11, 10))
    advance(escalation, iro, date(2026, 11, 18))
    assert not esc.may_request_scoping(escalation, esc.open_stage(escalation), date(2026, 11, 18))
    last = advance(escalation, iro, date(2026, 12, 3))
    escalation.refresh_from_db()
    assert esc.open_stage(escalation) == last
    # Due 17 December: not on the day, the day after.
    assert not esc.may_request_scoping(escalation, last, date(2026, 12, 17))
    assert esc.may_request_scoping(escalation, last, date(2026, 12, 18))
    esc.stage_respond(
        stage=last, response="Agreed.", actor=assistant_director, now=at(date(2026, 12, 7))
    )
    last.refresh_from_db()
    assert esc.may_request_scoping(escalation, last, date(2026, 12, 7))
    esc.escalation_scoping_requested(escalation=escalation, actor=iro, today=date(2026, 12, 8))
    escalation.refresh_from_db()
    assert escalation.status == IroEscalation.Status.SCOPING_REQUESTED
    assert not esc.may_request_scoping(escalation, None, date(2026, 12, 8))


@pytest.mark.django_db
def test_a_serious_systemic_concern_may_go_to_scoping_at_once(child, iro):
    escalation = raise_one(child, iro, serious_systemic=True)
    assert esc.may_request_scoping(escalation, esc.open_stage(escalation), MONDAY)
    esc.escalation_scoping_requested(escalation=escalation, actor=iro, today=MONDAY)
    assert duty_of(escalation.stages.get()).status == Duty.Status.CANCELLED
    plain = raise_one(child, iro, concern="Another concern")
    with pytest.raises(ValidationError):
        esc.escalation_scoping_requested(escalation=plain, actor=iro, today=MONDAY)


@pytest.mark.django_db
def test_resolving_closes_the_stage_and_ends_its_duty(child, iro, social_worker):
    escalation = raise_one(child, iro)
    with pytest.raises(ValidationError):
        esc.escalation_resolve(escalation=escalation, resolution="", actor=iro, today=MONDAY)
    with pytest.raises(PermissionDenied):
        esc.escalation_resolve(
            escalation=escalation, resolution="Done", actor=social_worker, today=MONDAY
        )
    esc.escalation_resolve(
        escalation=escalation, resolution="Staffing restored.", actor=iro, today=date(2026, 11, 5)
    )
    escalation.refresh_from_db()
    assert (escalation.status, escalation.resolved_on) == (
        IroEscalation.Status.RESOLVED,
        date(2026, 11, 5),
    )
    stage = escalation.stages.get()
    assert stage.closed_on == date(2026, 11, 5)
    assert duty_of(stage).status == Duty.Status.CANCELLED
    with pytest.raises(ValidationError):
        esc.escalation_resolve(escalation=escalation, resolution="Again", actor=iro, today=MONDAY)
    with pytest.raises(ValidationError):
        esc.stage_respond(stage=stage, response="Late", actor=social_worker, now=at(MONDAY))


# --- The duty: deadlines, worktray, overdue alerts ------------------------------------------


@pytest.mark.django_db
def test_the_reply_is_in_deadlines_open_on_its_due_date_overdue_after(child, placement, iro):
    raise_one(child, iro)
    row = "escalation_response,E300001,SC300001,2026-11-09,{},sw"
    header = "kind,child,urn,due,status,owner"
    for as_of, status in (
        ("2026-11-06", "open"),
        ("2026-11-09", "open"),
        ("2026-11-10", "overdue"),
    ):
        assert deadlines("--as-of", as_of, "--kind", "escalation_response") == [
            header,
            row.format(status),
        ]


@pytest.mark.django_db
def test_the_reply_is_in_the_respondents_worktray_with_a_link(client, child, iro, social_worker):
    stage = raise_one(child, iro).stages.get()
    client.force_login(social_worker)
    with travel(date(2026, 11, 10)):
        page = client.get(reverse("duties:worktray")).content.decode()
    assert "IRO escalation response" in page
    assert reverse("escalations:escalation_stage", kwargs={"pk": stage.pk}) in page


@pytest.mark.django_db
def test_an_overdue_reply_raises_an_alert_the_day_after_its_due_date(child, iro, social_worker):
    stage = raise_one(child, iro).stages.get()
    duty = duty_of(stage)
    alerts.sweep(today=date(2026, 11, 9), now=at(date(2026, 11, 9), 12))
    assert not Alert.objects.filter(duty=duty, level="overdue").exists()
    alerts.sweep(today=date(2026, 11, 10), now=at(date(2026, 11, 10), 12))
    assert Alert.objects.filter(duty=duty, level="overdue").exists()
    subjects = list(
        Notification.objects.filter(user=social_worker, alert__duty=duty).values_list(
            "subject", flat=True
        )
    )
    assert any(s.startswith("Overdue: IRO escalation response for child E300001") for s in subjects)


@pytest.mark.django_db
def test_a_reply_raises_no_overdue_alert(child, iro, social_worker):
    stage = raise_one(child, iro).stages.get()
    iro_module_reply(stage, social_worker, date(2026, 11, 9))
    alerts.sweep(today=date(2026, 11, 12), now=at(date(2026, 11, 12), 12))
    assert not Alert.objects.filter(duty=duty_of(stage)).exists()


# --- The pages -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_iro_raises_from_the_childs_page_with_evidence_visits(
    client, child, placement, visit, iro
):
    client.force_login(iro)
    page = client.get(reverse("placements:child", kwargs={"pk": child.pk})).content.decode()
    url = reverse("escalations:iro_escalation_create", kwargs={"child_pk": child.pk})
    assert url in page
    form = client.get(url).content.decode()
    assert f'value="{visit.pk}"' in form
    with travel(MONDAY):
        response = client.post(
            url,
            {
                "concern": "Night staffing",
                "evidence_visits": [str(visit.pk)],
                "resolution_sought": "Two waking staff",
            },
        )
    escalation = IroEscalation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "escalations:iro_escalation", kwargs={"pk": escalation.pk}
    )
    assert list(escalation.evidence_visits.all()) == [visit]
    with travel(MONDAY):
        detail = client.get(response["Location"]).content.decode()
    assert "Night staffing" in detail and "Sam Worker" in detail and "9 November 2026" in detail
    assert "Move to the next stage" in detail and "scoping-request-link" not in detail


@pytest.mark.django_db
def test_the_raise_form_explains_what_is_missing(client, child, iro):
    client.force_login(iro)
    url = reverse("escalations:iro_escalation_create", kwargs={"child_pk": child.pk})
    page = client.post(url, {}).content.decode()
    assert "Describe the concern." in page and "Say what resolution you seek." in page
    assert not IroEscalation.objects.exists()


@pytest.mark.django_db
def test_the_respondent_replies_in_the_browser_and_no_one_else(
    client, child, iro, social_worker, team_manager
):
    stage = raise_one(child, iro).stages.get()
    url = reverse("escalations:escalation_stage", kwargs={"pk": stage.pk})
    client.force_login(team_manager)
    page = client.get(url).content.decode()
    assert "Your reply" not in page and "Night staffing" in page
    assert client.post(url, {"response": "Mine"}).status_code == 403
    client.force_login(social_worker)
    assert "Your reply" in client.get(url).content.decode()
    assert "Write your reply." in client.post(url, {"response": ""}).content.decode()
    with travel(date(2026, 11, 4)):
        response = client.post(url, {"response": "Rota fixed."})
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.response == "Rota fixed." and stage.responded_by == social_worker
    assert "Your reply" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_iro_moves_it_on_and_resolves_in_the_browser(client, child, iro, team_manager):
    escalation = raise_one(child, iro)
    client.force_login(iro)
    url = reverse("escalations:iro_escalation_advance", kwargs={"pk": escalation.pk})
    assert "Give your reasons" in client.post(url, {"from_stage": "informal"}).content.decode()
    with travel(date(2026, 11, 10)):
        response = client.post(url, {"from_stage": "informal", "reasons": "No reply."})
        assert response.status_code == 302
        again = client.post(url, {"from_stage": "informal", "reasons": "No reply."})
    assert "already moved on" in again.content.decode()
    escalation.refresh_from_db()
    assert escalation.stage == Stage.TEAM_MANAGER
    assert escalation.stages.get(stage=Stage.TEAM_MANAGER).respondent == team_manager
    resolve = reverse("escalations:iro_escalation_resolve", kwargs={"pk": escalation.pk})
    with travel(date(2026, 11, 12)):
        client.force_login(iro)
        response = client.post(resolve, {"resolution": "Agreed plan."})
    assert response["Location"] == reverse(
        "escalations:iro_escalation", kwargs={"pk": escalation.pk}
    )
    escalation.refresh_from_db()
    assert escalation.status == IroEscalation.Status.RESOLVED


@pytest.mark.django_db
def test_the_scoping_request_link_shows_only_when_a_meeting_may_be_requested(client, child, iro):
    serious = raise_one(child, iro, serious_systemic=True)
    plain = raise_one(child, iro, concern="Something else")
    client.force_login(iro)
    link = f'href="{reverse("scoping:request_create")}?escalation={serious.pk}"'
    page = client.get(reverse("escalations:iro_escalation", kwargs={"pk": serious.pk}))
    assert link in page.content.decode()
    assert "Request a scoping meeting" in page.content.decode()
    assert page.context["may_request_scoping"] is True
    page = client.get(reverse("escalations:iro_escalation", kwargs={"pk": plain.pk}))
    assert "Request a scoping meeting" not in page.content.decode()
    assert "?escalation=" not in page.content.decode()


@pytest.mark.django_db
def test_pages_are_refused_by_role_and_hidden_by_child(
    client, child, iro, lado, other_team_worker, social_worker
):
    escalation = raise_one(child, iro)
    detail = reverse("escalations:iro_escalation", kwargs={"pk": escalation.pk})
    client.force_login(lado)
    assert client.get(detail).status_code == 403
    assert client.get(reverse("escalations:iro_escalations")).status_code == 403
    client.force_login(other_team_worker)
    assert client.get(detail).status_code == 404
    client.force_login(social_worker)
    assert client.get(detail).status_code == 200
    create = reverse("escalations:iro_escalation_create", kwargs={"child_pk": child.pk})
    assert client.get(create).status_code == 403
    advance_url = reverse("escalations:iro_escalation_advance", kwargs={"pk": escalation.pk})
    assert client.post(advance_url, {"from_stage": "informal", "reasons": "x"}).status_code == 403


@pytest.mark.django_db
def test_text_is_shown_escaped(client, child, iro):
    escalation = raise_one(child, iro, concern="<script>alert(1)</script>")
    client.force_login(iro)
    page = client.get(reverse("escalations:iro_escalation", kwargs={"pk": escalation.pk}))
    body = page.content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def _escalations(n, team, social_worker, iro):
    for _ in range(n):
        child = ChildFactory(team=team, social_worker=social_worker, iro=iro)
        raise_one(child, iro)


@pytest.mark.django_db
def test_the_list_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, cic_team, social_worker, iro, team_manager
):
    client.force_login(team_manager)
    url = reverse("escalations:iro_escalations")
    _escalations(2, cic_team, social_worker, iro)
    client.get(url)  # warm the session and the caches
    with django_assert_num_queries(9):
        small = client.get(url)
    _escalations(8, cic_team, social_worker, iro)
    with django_assert_num_queries(9):
        large = client.get(url)
    assert small.content.decode().count("/escalations/") < large.content.decode().count(
        "/escalations/"
    )
    assert "10 escalations" in large.content.decode()


@pytest.mark.django_db
def test_the_list_shows_only_children_the_reader_may_see(
    client, child, iro, other_team_worker, social_worker
):
    raise_one(child, iro)
    client.force_login(other_team_worker)
    assert "Ellis" not in client.get(reverse("escalations:iro_escalations")).content.decode()
    client.force_login(social_worker)
    page = client.get(reverse("escalations:iro_escalations")).content.decode()
    assert "Ellis" in page and "1 escalation" in page


@pytest.mark.django_db
def test_the_childs_page_lists_escalations_and_only_an_iro_may_raise(client, child, social_worker):
    client.force_login(social_worker)
    page = client.get(reverse("placements:child", kwargs={"pk": child.pk})).content.decode()
    assert f"{reverse('escalations:iro_escalations')}?status=all&amp;child={child.pk}" in page
    assert "Raise an escalation" not in page
