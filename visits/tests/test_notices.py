"""An Ofsted notice for a children's home: every child placed there is visited within 1
week (timescales.md §1), by a duty of its own that a statutory visit discharges."""

import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from duties.models import Duty
from duties.recompute import refresh_for_children
from placements import services
from placements.models import (
    ProvisionType,
    RegulatoryNotice,
)
from placements.tests.factories import SettingFactory
from visits import notices
from visits.models import Visit

pytestmark = pytest.mark.django_db


def deadlines(as_of="2026-11-02"):
    out = io.StringIO()
    call_command("deadlines", "--as-of", as_of, stdout=out)
    return out.getvalue().splitlines()


RECORDED = date(2026, 11, 2)
NOON = datetime(2026, 11, 2, 12, tzinfo=UTC)


def test_notice_opens_a_statutory_visit_per_child_within_a_week(placed, commissioning):
    setting, children = placed
    notice, created = services.notice_record(
        setting=setting, kind="barred_admissions", notice_date=RECORDED, actor=commissioning
    )
    again, created_again = services.notice_record(
        setting=setting, kind="barred_admissions", notice_date=RECORDED, actor=commissioning
    )
    assert created and not created_again and again == notice
    duties = Duty.objects.filter(kind="statutory_visit", subject__startswith="notice:")
    assert sorted(d.child.child_id for d in duties) == ["C000001", "C000002", "C000003"]
    assert {d.due for d in duties} == {date(2026, 11, 9)}
    assert f"notice:{notice.pk}:child:{children[0].pk}" in {d.subject for d in duties}
    rows = deadlines()
    assert f"statutory_visit,C000001,{setting.urn},2026-11-09,open,sw" in rows


def test_notice_only_for_childrens_homes(commissioning):
    fostering = SettingFactory(provision_type=ProvisionType.IFA_FOSTERING)
    with pytest.raises(ValidationError):
        services.notice_record(
            setting=fostering, kind="proceedings", notice_date=RECORDED, actor=commissioning
        )
    assert not RegulatoryNotice.objects.exists()


def test_notice_duty_done_by_a_statutory_visit_after_the_notice(placed, commissioning):
    setting, children = placed
    services.notice_record(
        setting=setting, kind="cancellation", notice_date=RECORDED, actor=commissioning
    )
    child = children[0]
    before = Visit.objects.create(
        child=child,
        kind="statutory",
        status="finished",
        visitor_name="S",
        visitor_role="SW",
        visited_at=datetime(2026, 10, 30, 10, tzinfo=UTC),
    )
    assert notices.notice_visits_discharge([child.pk]) == 0
    after = Visit.objects.create(
        child=child,
        kind="statutory",
        status="finished",
        visitor_name="S",
        visitor_role="SW",
        visited_at=datetime(2026, 11, 4, 10, tzinfo=UTC),
    )
    assert notices.notice_visits_discharge([child.pk]) == 1
    duty = Duty.objects.get(child=child, subject__startswith="notice:")
    assert (duty.status, duty.done_on) == ("done", date(2026, 11, 4))
    assert duty.done_by == f"visit:{after.pk}"
    assert before.pk != after.pk


def test_recompute_leaves_notice_duties_alone(placed, commissioning):
    setting, children = placed
    services.notice_record(
        setting=setting, kind="proceedings", notice_date=RECORDED, actor=commissioning
    )
    refresh_for_children([c.pk for c in children], today=RECORDED)
    assert Duty.objects.filter(subject__startswith="notice:", status="open").count() == 3


def test_notice_page_is_for_commissioning(client, placed, commissioning, social_worker):
    setting, _ = placed
    url = reverse("escalations:notice_create", args=[setting.pk])
    client.force_login(social_worker)
    assert client.get(url).status_code == 403
    client.force_login(commissioning)
    assert "Record an Ofsted notice" in client.get(url).content.decode()
    data = {
        "kind": "proceedings",
        "notice_date_0": "2",
        "notice_date_1": "11",
        "notice_date_2": "2026",
    }
    with time_machine.travel(NOON, tick=False):
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302
    assert RegulatoryNotice.objects.get().recorded_by == commissioning
    assert Duty.objects.filter(subject__startswith="notice:").count() == 3

    fostering = SettingFactory(provision_type=ProvisionType.IFA_FOSTERING)
    with time_machine.travel(NOON, tick=False):
        page = client.post(reverse("escalations:notice_create", args=[fostering.pk]), data)
    assert page.status_code == 200 and "not a children&#x27;s home" in page.content.decode()
