"""The engine's interface, as a workflow uses it: registering a kind with a recomputer (of
children or of settings), and opening and closing duties through duties.services."""

from dataclasses import dataclass, replace
from datetime import date

import pytest
from django.urls import reverse

from duties import recompute, registry, services
from duties.models import Duty, Notification
from duties.reconcile import Want
from duties.rules import Due
from placements.tests.factories import SettingFactory
from reviews.tests.factories import LacReviewFactory

pytestmark = pytest.mark.django_db

KIND = "test_setting_review"


@dataclass(frozen=True)
class _State:
    today: date


@pytest.fixture
def setting_kind(monkeypatch):
    """A workflow of settings, registered for the test only: each setting with places
    is due a review 30 days after its registration date, or nothing."""
    fresh = registry._Registry(
        types=dict(registry._registry.types),
        recomputers=list(registry._registry.recomputers),
        links=list(registry._registry.links),
    )
    monkeypatch.setattr(registry, "_registry", fresh)
    failing: set[int] = set()

    def load(ids, state):
        return {s.pk: s for s in SettingFactory._meta.model.objects.filter(pk__in=ids)}

    def wants(pk, batch, state, open_subjects):
        if pk in failing:
            raise ValueError("a fact the rule refuses")
        setting = batch[pk]
        due = None
        if setting.places:
            day = date.fromordinal(setting.registration_date.toordinal() + 30)
            due = Due(KIND, day, None, "30 days after registration", "A test rule")
        return [Want(kind=KIND, subject=f"setting:{pk}:review", due=due, setting_id=pk)]

    registry.register(registry.DutyType(kind=KIND, label="Test review", owner="Nobody"))
    registry.recomputer(
        registry.Recomputer(
            name="test settings",
            scope="setting",
            kinds=(KIND,),
            subjects=r"setting:\d+:review",
            prepare=_State,
            load=load,
            wants=wants,
            candidates=lambda today: SettingFactory._meta.model.objects.filter(
                places__isnull=False
            ).values("pk"),
        )
    )
    return failing


def test_a_recomputer_of_settings_keeps_their_rows(setting_kind):
    with_places = SettingFactory(places=4, registration_date=date(2026, 1, 1))
    without = SettingFactory(places=None, registration_date=date(2026, 1, 1))
    stats = recompute.recompute_all(today=date(2026, 2, 1))
    row = Duty.objects.get(kind=KIND)
    assert (row.setting_id, row.child_id, row.due) == (with_places.pk, None, date(2026, 1, 31))
    assert stats.created == 1 and not Duty.objects.filter(setting=without, kind=KIND).exists()
    # Nothing changed: nothing written.
    assert recompute.refresh_for_settings([with_places.pk, without.pk]) == 0
    # The facts change: the row follows, then goes when the duty no longer arises.
    type(with_places).objects.filter(pk=with_places.pk).update(registration_date=date(2026, 1, 5))
    assert recompute.refresh_for_settings([with_places.pk]) == 1
    assert Duty.objects.get(kind=KIND, status="open").due == date(2026, 2, 4)
    type(with_places).objects.filter(pk=with_places.pk).update(places=None)
    recompute.recompute_all(today=date(2026, 2, 1))  # walked: it has an open row
    assert Duty.objects.get(kind=KIND).status == Duty.Status.CANCELLED


def test_a_subject_the_rules_refuse_keeps_its_rows_and_the_others_go_on(setting_kind):
    first = SettingFactory(places=2, registration_date=date(2026, 1, 1))
    second = SettingFactory(places=2, registration_date=date(2026, 1, 1))
    recompute.recompute_all(today=date(2026, 2, 1))
    setting_kind.add(first.pk)
    type(first).objects.update(registration_date=date(2026, 1, 9))
    stats = recompute.refresh("setting", [first.pk, second.pk], today=date(2026, 2, 1))
    assert stats.errors == 1 and stats.updated == 1
    assert Duty.objects.get(setting=first, kind=KIND).due == date(2026, 1, 31)  # left as it was
    assert Duty.objects.get(setting=second, kind=KIND).due == date(2026, 2, 8)


def test_services_open_and_close_a_duty_once(social_worker):
    setting = SettingFactory()
    opened = services.duty_open(
        kind="letter_of_concern",
        subject="letter:1",
        setting=setting,
        owner=social_worker,
        due=date(2026, 3, 2),
        basis="b" * 400,
    )
    again = services.duty_open(kind="letter_of_concern", subject="letter:1", due=date(2026, 3, 9))
    assert again.pk == opened.pk and len(opened.basis) == 300
    assert (
        services.duty_reschedule(kind="letter_of_concern", subject="letter:1", due=date(2026, 3, 9))
        == 1
    )
    assert (
        services.duty_reschedule(kind="letter_of_concern", subject="letter:1", due=date(2026, 3, 9))
        == 0
    )
    assert (
        services.duty_done(kind="letter_of_concern", subject="letter:1", done_on=date(2026, 3, 5))
        == 1
    )
    assert (
        services.duty_done(kind="letter_of_concern", subject="letter:1", done_on=date(2026, 3, 6))
        == 0
    )
    row = Duty.objects.get(pk=opened.pk)
    assert (row.status, row.done_on, row.due) == ("done", date(2026, 3, 5), date(2026, 3, 9))
    assert services.ever_opened("letter_of_concern", "letter:1")
    assert services.open_duty("letter_of_concern", "letter:1") is None
    # A new one for the same subject may open once the last is closed, and be cancelled.
    services.duty_open(kind="letter_of_concern", subject="letter:1", due=date(2026, 4, 1))
    assert services.duty_cancel(kind="letter_of_concern", subject="letter:1") == 1
    assert Duty.objects.filter(subject="letter:1").count() == 2


def test_services_refuse_a_kind_no_workflow_registered():
    with pytest.raises(ValueError, match="not registered"):
        services.duty_open(kind="made_up", subject="x:1", due=date(2026, 3, 2))
    with pytest.raises(ValueError, match="not registered"):
        services.duties_open([{"kind": "made_up", "subject": "x:1", "due": date(2026, 3, 2)}])


def test_many_duties_open_in_one_insert_leaving_those_already_open(django_assert_num_queries):
    setting = SettingFactory()
    row = {"kind": "action_plan", "setting": setting, "due": date(2026, 3, 2)}
    services.duty_open(**row, subject="plan_action:1")
    rows = [{**row, "subject": f"plan_action:{n}"} for n in range(1, 4)]
    with django_assert_num_queries(2):  # which are open; one INSERT
        made = services.duties_open(rows)
    assert [d.subject for d in made] == ["plan_action:2", "plan_action:3"]
    assert Duty.objects.filter(kind="action_plan", status="open").count() == 3


def test_notify_tells_an_active_person_once_per_key(social_worker, team_manager):
    first = services.notify(social_worker, key="k:1", subject="S", body="B", url="/")
    again = services.notify(social_worker, key="k:1", subject="Other", body="B", url="/")
    assert first.pk == again.pk and again.subject == "S"
    social_worker.email = ""
    social_worker.save()
    assert (
        services.notify(social_worker, key="k:2", subject="S", body="B", url="/").email_status
        == "none"
    )
    team_manager.is_active = False
    assert services.notify(team_manager, key="k:1", subject="S", body="B", url="/") is None
    written = services.notify_many(
        [social_worker, team_manager], key=lambda u: f"k:3:{u.pk}", subject="S", body="B", url="/"
    )
    assert written == 1 and Notification.objects.filter(key=f"k:3:{social_worker.pk}").exists()


def test_the_moved_admin_pages_answer_at_their_old_addresses(client, administrator):
    client.force_login(administrator)
    moved = client.get("/admin/visits/rulevalue/?name=x")
    assert moved.status_code == 301 and moved["Location"] == "/admin/duties/rulevalue/?name=x"
    review = LacReviewFactory()
    moved = client.get(f"/admin/visits/lacreview/{review.pk}/history/")
    assert moved["Location"] == f"/admin/reviews/lacreview/{review.pk}/history/"
    assert client.get(moved["Location"]).status_code == 200
    assert client.get(reverse("admin:duties_duty_changelist")).status_code == 200
    # What stayed in visits is not redirected.
    assert client.get("/admin/visits/visit/").status_code == 200


def test_a_kind_keeps_its_registration_when_the_same_type_is_registered_again():
    statutory = registry.get("statutory_visit")
    registry.register(statutory)
    with pytest.raises(ValueError):
        registry.register(replace(statutory, label="Another label"))


def test_every_registered_timescale_has_its_row_for_an_administrator():
    from duties import timescales
    from duties.models import RuleValue
    from duties.rules import AlertRules
    from reviews.rules import ReviewRules
    from visits.rules import RuleSet

    RuleValue.objects.filter(
        name__in=["due_soon_working_days", "lac_review_second_months"]
    ).delete()
    RuleValue.objects.filter(name="bedroom_seen_weeks").update(value=10)  # an administrator's
    assert timescales.seed_rule_values() == 2
    assert timescales.seed_rule_values() == 0
    names = set(RuleValue.objects.values_list("name", flat=True))
    for cls in (AlertRules, ReviewRules, RuleSet):
        assert set(cls.field_help()) <= names
    row = RuleValue.objects.get(name="due_soon_working_days")
    assert (row.value, row.source) == (3, "Product setting (alerts); not a statutory timescale")
    assert RuleValue.objects.get(name="bedroom_seen_weeks").value == 10
