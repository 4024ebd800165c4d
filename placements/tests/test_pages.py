import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from placements.models import AccessLog, Child, Inspection, Placement, Rating, Setting
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory


@pytest.fixture
def own_child(social_worker):
    child = ChildFactory(
        team=social_worker.team, social_worker=social_worker, first_name="Ava", last_name="Ownteam"
    )
    PlacementFactory(child=child, decom=date(2026, 1, 5))
    return child


@pytest.fixture
def other_child(other_team_worker):
    child = ChildFactory(
        team=other_team_worker.team,
        social_worker=other_team_worker,
        first_name="Zed",
        last_name="Otherteam",
    )
    PlacementFactory(child=child, decom=date(2026, 2, 5))
    return child


def child_urls(child):
    return [
        reverse("placements:child", args=[child.pk]),
        reverse("placements:child_pdf", args=[child.pk]),
        reverse("placements:placement_start", args=[child.pk]),
    ]


@pytest.mark.django_db
def test_social_worker_gets_404_for_another_teams_child_everywhere(
    client, social_worker, own_child, other_child
):
    client.force_login(social_worker)
    for url in child_urls(other_child):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Otherteam" not in response.content
    placement = other_child.placements.get()
    assert client.get(reverse("placements:placement_end", args=[placement.pk])).status_code == 404
    for url in [
        reverse("placements:children"),
        reverse("placements:children") + "?q=Zed",
        reverse("placements:children") + f"?q={other_child.child_id}",
        reverse("placements:placements"),
    ]:
        page = client.get(url).content.decode()
        assert "Otherteam" not in page, url
    page = client.get(reverse("placements:children")).content.decode()
    assert "Ownteam" in page
    for url in [reverse("placements:children"), reverse("placements:placements")]:
        body = b"".join(client.get(url + "?format=csv").streaming_content).decode()
        assert other_child.child_id not in body and own_child.child_id in body


@pytest.mark.django_db
def test_team_manager_sees_team_child_and_pdf_renders(client, team_manager, own_child, other_child):
    client.force_login(team_manager)
    assert client.get(reverse("placements:child", args=[own_child.pk])).status_code == 200
    assert client.get(reverse("placements:child", args=[other_child.pk])).status_code == 404
    response = client.get(reverse("placements:child_pdf", args=[own_child.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_child_page_says_whether_the_placement_is_permanent(client, social_worker, own_child):
    client.force_login(social_worker)
    url = reverse("placements:child", args=[own_child.pk])
    assert "Yes: intended to last until the child is 18" not in client.get(url).content.decode()
    own_child.placements.update(permanent=True)
    assert "Yes: intended to last until the child is 18" in client.get(url).content.decode()


@pytest.mark.django_db
def test_iro_sees_only_the_children_they_review(client, iro, own_child, other_child):
    own_child.iro = iro
    own_child.save()
    client.force_login(iro)
    assert client.get(reverse("placements:child", args=[own_child.pk])).status_code == 200
    assert client.get(reverse("placements:child", args=[other_child.pk])).status_code == 404


@pytest.mark.django_db
def test_commissioning_sees_every_child_and_administrator_none(
    client, commissioning, administrator, own_child, other_child
):
    client.force_login(commissioning)
    page = client.get(reverse("placements:children")).content.decode()
    assert "Ownteam" in page and "Otherteam" in page
    client.force_login(administrator)
    assert client.get(reverse("placements:children")).status_code == 403
    assert client.get(reverse("placements:child", args=[own_child.pk])).status_code == 403


@pytest.mark.django_db
def test_restricted_record_only_for_allocated_staff_and_managers(
    client, social_worker, team_manager, commissioning, cic_team, own_child
):
    own_child.restricted = True
    own_child.save()
    teammate = UserFactory(role="social_worker", team=cic_team, line_manager=team_manager)
    url = reverse("placements:child", args=[own_child.pk])
    for user, status in [
        (social_worker, 200),
        (team_manager, 200),
        (teammate, 404),
        (commissioning, 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    logged = AccessLog.objects.filter(action=AccessLog.Action.VIEW_RESTRICTED, child=own_child)
    assert sorted(logged.values_list("user__username", flat=True)) == sorted(
        [social_worker.username, team_manager.username]
    )
    client.force_login(teammate)
    assert "Ownteam" not in client.get(reverse("placements:children")).content.decode()


@pytest.mark.django_db
def test_guard_refuses_in_the_browser_with_the_reason(client, social_worker, own_child):
    bad = SettingFactory(name="Elm Lodge", current_rating=Rating.INADEQUATE)
    client.force_login(social_worker)
    response = client.post(
        reverse("placements:placement_start", args=[own_child.pk]),
        {
            "setting": bad.pk,
            "decom_0": "2",
            "decom_1": "11",
            "decom_2": "2026",
            "rne": "P",
            "ls": "C2",
            "cin": "N1",
            "place": "K2",
            "place_provider": "PR4",
            "reason_place_change": "CARPL",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Elm Lodge is rated Inadequate by the regulator" in page
    assert own_child.placements.count() == 1


@pytest.mark.django_db
def test_commissioning_records_a_downgrade_in_the_browser(client, commissioning, social_worker):
    setting = SettingFactory(current_rating=Rating.GOOD)
    Inspection.objects.create(
        setting=setting,
        inspection_date=date(2024, 5, 1),
        overall_judgement=Rating.GOOD,
        recorded_on=date(2024, 6, 1),
    )
    url = reverse("placements:inspection_create", args=[setting.pk])
    client.force_login(social_worker)
    assert client.get(url).status_code == 403
    client.force_login(commissioning)
    data = {
        "inspection_date_0": "14",
        "inspection_date_1": "10",
        "inspection_date_2": "2026",
        "event_type": "Full inspection",
        "overall_judgement": "inadequate",
    }
    response = client.post(url, data, follow=True)
    assert "Judgement recorded: Inadequate. This is a downgrade." in response.content.decode()
    setting.refresh_from_db()
    assert setting.current_rating == Rating.INADEQUATE
    again = client.post(url, data)
    assert "already recorded" in again.content.decode()
    assert setting.inspections.count() == 2


@pytest.mark.django_db
def test_setting_form_keeps_input_and_explains(client, commissioning):
    client.force_login(commissioning)
    response = client.post(
        reverse("placements:setting_create"),
        {
            "name": "<b>New</b> House",
            "urn": "sc999999",
            "provision_type": "childrens_home",
            "regulator": "ofsted",
            "registration_status": "active",
            "referrals_suspended": "on",
        },
    )
    page = response.content.decode()
    assert "Choose the provider, or give a new provider" in page
    assert "Say why referrals are suspended" in page
    assert 'value="&lt;b&gt;New&lt;/b&gt; House"' in page
    assert not Setting.objects.filter(name__contains="New").exists()


def _populate(start: int, stop: int, worker):
    """Children start..stop-1 with a current placement each, in bulk."""
    settings = [SettingFactory() for _ in range(3)]
    children = Child.objects.bulk_create(
        [
            ChildFactory.build(team=worker.team, social_worker=worker, child_id=f"Q{i:06d}")
            for i in range(start, stop)
        ]
    )
    Placement.objects.bulk_create(
        Placement(
            child=child,
            setting=settings[i % 3],
            decom=date(2026, 1, 5),
            rne="S",
            ls="C2",
            cin="N1",
            place="K2",
        )
        for i, child in enumerate(children)
    )


def _count_queries(client, url):
    """Queries for one request, measured after a first request has settled the session."""
    warm = client.get(url)
    if hasattr(warm, "streaming_content"):
        b"".join(warm.streaming_content)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/children/",
        "/children/?format=csv",
        "/children/?rating=good&area=in",
        "/placements/",
        "/placements/?format=csv",
        "/placements/?status=current",
        "/settings/",
        "/settings/?format=csv",
        "/settings/?rating=good",
    ],
)
def test_lists_run_a_fixed_number_of_queries_at_10_and_1000_rows(
    client, team_manager, social_worker, django_assert_num_queries, url
):
    client.force_login(team_manager)
    _populate(0, 10, social_worker)
    small = _count_queries(client, url)
    assert small <= 12
    _populate(10, 1000, social_worker)
    assert Placement.objects.count() == 1000
    expected_rows = 1001 if "settings" not in url else 1 + Setting.objects.count()
    with django_assert_num_queries(small):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else b""
    if response.streaming:
        assert len(body.decode().strip().splitlines()) == expected_rows


@pytest.mark.django_db
def test_setting_page_shows_placed_children_a_page_at_a_time(
    client, commissioning, social_worker, django_assert_num_queries
):
    from core.pages import PAGE_SIZE

    setting = SettingFactory(name="Big Fostering Service")
    children = Child.objects.bulk_create(
        [
            ChildFactory.build(
                team=social_worker.team,
                social_worker=social_worker,
                child_id=f"P{i:06d}",
                last_name=f"Surname{i:03d}",
            )
            for i in range(PAGE_SIZE + 5)
        ]
    )
    Placement.objects.bulk_create(
        Placement(
            child=c, setting=setting, decom=date(2026, 1, 5), rne="S", ls="C2", cin="N1", place="U6"
        )
        for c in children
    )
    client.force_login(commissioning)
    url = reverse("placements:setting", args=[setting.pk])
    first = client.get(url).content.decode()
    assert f"{PAGE_SIZE + 5} children placed here today." in first
    record_link = re.compile(r'href="/children/\d+/"')
    assert len(record_link.findall(first)) == PAGE_SIZE
    assert "Page 1 of 2" in first
    second = client.get(url + "?page=2").content.decode()
    assert len(record_link.findall(second)) == 5
