"""The deadlines command and page: every dated duty, as CSV and as a filtered page."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duties import registry
from duties.models import Duty
from duties.recompute import refresh_for_children
from duties.tests.factories import DutyFactory
from placements import services
from placements.models import AccessLog, Child
from placements.tests.factories import ChildFactory, SettingFactory
from visits.models import VisitKind
from visits.tests.factories import VisitFactory

LONDON = ZoneInfo("Europe/London")
HEADER = "kind,child,urn,due,status,owner"
START = date(2026, 11, 2)
EPISODE = services.EpisodeCodes(rne="S", ls="C2", cin="N1", place="K2", place_provider="PR4")


def travel(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=LONDON), tick=False)


def deadlines(*args) -> list[str]:
    out = StringIO()
    call_command("deadlines", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def child(social_worker):
    return ChildFactory(
        child_id="K200001",
        first_name="Ava",
        last_name="Ownteam",
        team=social_worker.team,
        social_worker=social_worker,
    )


@pytest.fixture
def placed(child, social_worker):
    """Placed in Oak House (URN SC123456) on Monday 2 November 2026, no visits yet."""
    home = SettingFactory(urn="SC123456", name="Oak House")
    with travel(START):
        return services.placement_start(
            child=child, setting=home, start=START, episode=EPISODE, actor=social_worker
        )


@pytest.fixture
def other_child(other_team_worker):
    child = ChildFactory(
        child_id="K299999",
        first_name="Zed",
        last_name="Otherteam",
        team=other_team_worker.team,
        social_worker=other_team_worker,
    )
    DutyFactory(child=child, due=date(2026, 11, 9))
    return child


# ============================================================================================
# The command
# ============================================================================================


@pytest.mark.django_db
def test_statutory_visit_is_open_on_its_due_date_and_overdue_the_day_after(placed):
    assert deadlines("--as-of", "2026-11-09", "--kind", "statutory_visit") == [
        HEADER,
        "statutory_visit,K200001,SC123456,2026-11-09,open,sw",
    ]
    assert deadlines("--as-of", "2026-11-10", "--kind", "statutory_visit") == [
        HEADER,
        "statutory_visit,K200001,SC123456,2026-11-09,overdue,sw",
    ]


@pytest.mark.django_db
def test_every_open_duty_in_due_order_and_the_lac_review_has_no_urn(placed):
    assert deadlines("--as-of", "2026-11-05") == [
        HEADER,
        # the local standards (003 10.2, 10.10): seen on the day, the bedroom in 12 weeks
        "placement_day_visit,K200001,SC123456,2026-11-02,overdue,sw",
        "purposeful_visit,K200001,SC123456,2026-11-02,overdue,sw",
        # The plans (TS §7): the placement's within 5 working days, the care plan and (a
        # child of school age) the PEP within 10, the health assessment within 20.
        "placement_plan,K200001,SC123456,2026-11-09,open,sw",
        "statutory_visit,K200001,SC123456,2026-11-09,open,sw",
        "care_plan,K200001,,2026-11-16,open,sw",
        "pep,K200001,,2026-11-16,open,sw",
        # The report to the IRO: 3 working days before the initial review (003_… 10.22).
        "review_report,K200001,,2026-11-25,open,sw",
        "health_assessment,K200001,,2026-11-30,open,sw",
        "iro_visit,K200001,SC123456,2026-11-30,open,",  # no IRO allocated
        "lac_review,K200001,,2026-11-30,open,sw",
        # The updated assessment by the initial review (003_… 10.12).
        "updated_assessment,K200001,,2026-11-30,open,sw",
        "bedroom_seen,K200001,SC123456,2027-01-25,open,sw",
    ]


@pytest.mark.django_db
def test_a_duty_done_on_the_as_of_date_is_listed_as_done(child, placed):
    VisitFactory(child=child, kind=VisitKind.STATUTORY, on=date(2026, 11, 6))
    refresh_for_children([child.pk], today=date(2026, 11, 6))
    assert deadlines("--as-of", "2026-11-06", "--kind", "statutory_visit") == [
        HEADER,
        "statutory_visit,K200001,SC123456,2026-11-09,done,sw",
        "statutory_visit,K200001,SC123456,2026-12-18,open,sw",
    ]
    assert deadlines("--as-of", "2026-11-07", "--kind", "statutory_visit") == [
        HEADER,
        "statutory_visit,K200001,SC123456,2026-12-18,open,sw",
    ]


@pytest.mark.django_db
def test_the_header_is_exactly_the_contract_even_with_no_rows():
    out = StringIO()
    call_command("deadlines", "--as-of", "2026-11-09", stdout=out)
    assert out.getvalue() == HEADER + "\n"


@pytest.mark.django_db
def test_kind_must_be_a_duty_kind():
    with pytest.raises(CommandError) as refused:
        deadlines("--kind", "statutory")
    message = str(refused.value)
    assert "'statutory'" in message
    for kind, _label in registry.choices():
        assert kind in message


@pytest.mark.django_db
def test_as_of_must_be_an_iso_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        deadlines("--as-of", "09/11/2026")


@pytest.mark.django_db
def test_as_of_defaults_to_today_in_london(placed):
    # 23:30 UTC on 9 November is 23:30 GMT: still the 9th in London.
    with time_machine.travel(datetime(2026, 11, 9, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        rows = deadlines("--kind", "statutory_visit")
    assert rows[1].endswith("2026-11-09,open,sw")


# ============================================================================================
# The page
# ============================================================================================

URL = "/deadlines/"


def csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode().splitlines()


@pytest.mark.django_db
def test_the_page_lists_the_duties_of_the_users_children(client, social_worker, placed):
    assert reverse("duties:deadlines") == URL
    client.force_login(social_worker)
    page = client.get(URL, {"as_of": "2026-11-10"}).content.decode()
    assert "Statutory visit" in page and "Ava Ownteam" in page and "K200001" in page
    assert "Oak House" in page and "9 Nov 2026" in page
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    assert "12 duties as of 10 November 2026" in page


@pytest.mark.django_db
def test_the_page_filters_by_status_and_kind(client, social_worker, placed):
    client.force_login(social_worker)
    overdue = client.get(URL, {"as_of": "2026-11-05", "status": "overdue"})
    assert "2 duties as of" in overdue.content.decode()
    assert "Purposeful visit" in overdue.content.decode()
    assert "Visit on the day of placement" in overdue.content.decode()
    open_ = client.get(URL, {"as_of": "2026-11-05", "status": "open", "kind": "lac_review"})
    assert "1 duty as of" in open_.content.decode()
    assert "LAC review" in open_.content.decode()


@pytest.mark.django_db
def test_the_csv_is_what_the_filter_shows_with_the_command_header(client, social_worker, placed):
    client.force_login(social_worker)
    response = client.get(URL, {"as_of": "2026-11-10", "kind": "statutory_visit", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_lines(response) == [
        HEADER,
        "statutory_visit,K200001,SC123456,2026-11-09,overdue,sw",
    ]
    assert AccessLog.objects.filter(
        user=social_worker, action=AccessLog.Action.EXPORT, detail="Deadlines CSV"
    ).exists()


@pytest.mark.django_db
def test_a_24_hour_duty_is_overdue_on_the_page_once_its_time_has_passed(client, social_worker):
    kid = ChildFactory(team=social_worker.team, social_worker=social_worker)
    due_at = datetime(2026, 11, 3, 0, 0, tzinfo=LONDON)
    DutyFactory(child=kid, kind="purposeful_visit", due=date(2026, 11, 3), due_at=due_at)
    client.force_login(social_worker)
    with travel(date(2026, 11, 3)):
        response = client.get(URL, {"format": "csv"})
        assert csv_lines(response)[1].endswith(",2026-11-03,overdue,sw")
        page = client.get(URL).content.decode()
    assert "3 Nov 2026, 00:00" in page
    # The command judges by the date alone, as its contract says.
    assert deadlines("--as-of", "2026-11-03")[1].endswith(",2026-11-03,open,sw")


@pytest.mark.django_db
def test_a_worker_does_not_see_the_duties_of_a_child_she_cannot_see(
    client, social_worker, other_team_worker, placed, other_child
):
    client.force_login(other_team_worker)
    page = client.get(URL, {"as_of": "2026-11-10"}).content.decode()
    assert "Zed Otherteam" in page
    assert "Ownteam" not in page and "K200001" not in page
    body = csv_lines(client.get(URL, {"as_of": "2026-11-10", "format": "csv"}))
    assert body == [HEADER, "statutory_visit,K299999,,2026-11-09,overdue,sw2"]
    client.force_login(social_worker)
    body = "\n".join(csv_lines(client.get(URL, {"as_of": "2026-11-10", "format": "csv"})))
    assert "K200001" in body and "K299999" not in body


@pytest.mark.django_db
def test_duties_about_a_setting_alone_are_for_the_roles_that_see_every_setting(
    client, social_worker, commissioning, placed
):
    setting = SettingFactory(urn="SC777777")
    Duty.objects.create(
        kind="commissioning_visit", subject=f"setting:{setting.pk}", setting=setting, due=START
    )
    client.force_login(commissioning)
    body = "\n".join(csv_lines(client.get(URL, {"as_of": "2026-11-10", "format": "csv"})))
    assert "commissioning_visit,,SC777777,2026-11-02,overdue," in body
    assert "K200001" in body  # and every child's duties
    client.force_login(social_worker)
    body = "\n".join(csv_lines(client.get(URL, {"as_of": "2026-11-10", "format": "csv"})))
    assert "SC777777" not in body


@pytest.mark.django_db
def test_an_owner_sees_her_own_duty_about_a_setting_alone(client, social_worker, placed):
    """A scoping meeting's action names no child: its owner still finds it on the page."""
    setting = SettingFactory(urn="SC888888")
    Duty.objects.create(
        kind="scoping_action",
        subject="scoping_action:1",
        setting=setting,
        owner=social_worker,
        due=START,
    )
    Duty.objects.create(
        kind="commissioning_visit", subject=f"setting:{setting.pk}", setting=setting, due=START
    )
    client.force_login(social_worker)
    body = "\n".join(csv_lines(client.get(URL, {"as_of": "2026-11-10", "format": "csv"})))
    assert "scoping_action,,SC888888,2026-11-02,overdue," in body
    assert "commissioning_visit,,SC888888" not in body


@pytest.mark.django_db
def test_the_page_is_refused_to_roles_that_see_no_children(client, administrator):
    client.force_login(administrator)
    assert client.get(URL).status_code == 403


def _bulk(start: int, stop: int, worker) -> None:
    """Children start..stop-1 with an open and an overdue duty each, in bulk."""
    setting = SettingFactory()
    children = Child.objects.bulk_create(
        Child(
            child_id=f"D{i:06d}",
            first_name="Test",
            last_name=f"Child {i}",
            date_of_birth=date(2012, 5, 17),
            sex="1",
            ethnicity="WBRI",
            team=worker.team,
            social_worker=worker,
        )
        for i in range(start, stop)
    )
    Duty.objects.bulk_create(
        Duty(
            kind=kind,
            subject=f"placement:{c.pk}" if kind != "lac_review" else f"child:{c.pk}",
            child=c,
            setting=setting if kind != "lac_review" else None,
            owner=worker,
            team=worker.team,
            due=due,
        )
        for c in children
        for kind, due in [("statutory_visit", date(2026, 11, 9)), ("lac_review", date(2026, 12, 1))]
    )


def _queries(client, url) -> int:
    client.get(url)  # settle the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?as_of=2026-11-10",
        "?as_of=2026-11-10&status=overdue&kind=statutory_visit",
        "?as_of=2026-11-10&page=2",
        "?as_of=2026-11-10&format=csv",
    ],
)
def test_the_page_runs_a_fixed_number_of_queries_at_10_and_10000_children(
    client, team_manager, social_worker, django_assert_num_queries, query
):
    client.force_login(team_manager)
    _bulk(0, 10, social_worker)
    small = _queries(client, URL + query)
    assert small <= 10
    _bulk(10, 10_000, social_worker)
    assert Duty.objects.filter(child__team=social_worker.team).count() == 20_000
    with django_assert_num_queries(small):
        response = client.get(URL + query)
        body = b"".join(response.streaming_content).decode() if response.streaming else ""
    if response.streaming:
        assert len(body.splitlines()) == 1 + 20_000
    else:
        assert "duties as of 10 November 2026" in response.content.decode()
