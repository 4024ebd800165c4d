"""A child coming into care registered in the browser; concerns about an unregistered
placement; the placement's start time (seeds 000 and 002)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties.models import Duty
from placements.models import Child, Placement, PlacementConcern, Rating
from placements.tests.factories import (
    ChildFactory,
    PlacementFactory,
    SettingFactory,
    UnregisteredSettingFactory,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 4, 16, 0, tzinfo=LONDON)  # a Wednesday afternoon
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def register_data(setting, **overrides) -> dict:
    data = {
        "child_id": "NEW0001",
        "first_name": "Nia",
        "last_name": "Newcombe",
        "date_of_birth_0": "17",
        "date_of_birth_1": "5",
        "date_of_birth_2": "2012",
        "sex": "2",
        "ethnicity": "WBRI",
        "upn": "",
        "setting": setting.pk if setting else "",
        "decom_0": "4",
        "decom_1": "11",
        "decom_2": "2026",
        "start_time": "14:30",
        "rne": "S",
        "ls": "V2",
        "cin": "N1",
        "place": "K2",
        "place_provider": "PR4",
        "home_post": "me14 1xx",
    }
    return {**data, **overrides}


def dob(day: int, month: int, year: int) -> dict:
    return {
        "date_of_birth_0": str(day),
        "date_of_birth_1": str(month),
        "date_of_birth_2": str(year),
    }


def post_register(client, user, data):
    client.force_login(user)
    return client.post(reverse("placements:child_register"), data)


# ============================================================================================
# Register a child coming into care
# ============================================================================================


def test_a_social_worker_registers_a_child_who_joins_their_team(client, social_worker):
    home = SettingFactory(name="Oak House")
    response = post_register(client, social_worker, register_data(home, upn="a123456789012"))
    child = Child.objects.get(child_id="NEW0001")
    assert response.status_code == 302
    assert response.url == reverse("placements:child", args=[child.pk])
    assert (child.first_name, child.last_name, child.date_of_birth) == (
        "Nia",
        "Newcombe",
        date(2012, 5, 17),
    )
    assert (child.sex, child.ethnicity, child.upn) == ("2", "WBRI", "A123456789012")
    assert child.team == social_worker.team and child.social_worker == social_worker
    placement = child.placements.get()
    assert (placement.decom, placement.start_time, placement.rne, placement.ls) == (
        date(2026, 11, 4),
        time(14, 30),
        "S",
        "V2",
    )
    assert placement.setting == home and placement.home_post == "ME14 1XX"
    assert child.history.first().history_user == social_worker
    assert placement.history.first().history_user == social_worker
    # The placement-started event: the duty engine opened the child's duties with it.
    assert Duty.objects.filter(child=child, kind="statutory_visit").exists()
    page = client.get(response.url).content.decode()
    assert "Nia Newcombe registered, placed from 04/11/2026." in page
    assert "4 November 2026 at 14:30" in page


def test_a_team_manager_registers_a_child_into_their_team_unallocated(client, team_manager):
    response = post_register(client, team_manager, register_data(SettingFactory()))
    assert response.status_code == 302
    child = Child.objects.get(child_id="NEW0001")
    assert child.team == team_manager.team and child.social_worker is None


@pytest.mark.parametrize(
    "role", [Role.PERSONAL_ADVISER, Role.SERVICE_MANAGER, Role.IRO, Role.COMMISSIONING_OFFICER]
)
def test_other_roles_cannot_register_a_child(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    assert client.get(reverse("placements:child_register")).status_code == 403
    assert post_register(client, user, register_data(SettingFactory())).status_code == 403
    assert not Child.objects.exists()


def test_the_children_list_links_to_the_page_for_those_who_register(client, social_worker, iro):
    link = reverse("placements:child_register")
    client.force_login(social_worker)
    assert link in client.get(reverse("placements:children")).content.decode()
    client.force_login(iro)
    assert link not in client.get(reverse("placements:children")).content.decode()


def test_a_guard_refusal_saves_no_child(client, social_worker):
    bad = SettingFactory(name="Elm Lodge", current_rating=Rating.INADEQUATE)
    response = post_register(client, social_worker, register_data(bad))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Elm Lodge is rated Inadequate by the regulator" in page
    assert "the child has not been registered" in page
    assert not Child.objects.exists() and not Placement.objects.exists()


def test_a_setting_not_yet_inspected_is_refused_on_registration(client, team_manager):
    new = SettingFactory(name="Birch House", current_rating=Rating.NOT_YET_INSPECTED)
    response = post_register(client, team_manager, register_data(new))
    assert "Birch House has not yet been inspected" in response.content.decode()
    assert not Child.objects.exists()


def test_an_under_16_is_never_registered_into_an_unregistered_setting(client, social_worker):
    response = post_register(
        client, social_worker, register_data(UnregisteredSettingFactory(), place="Z11")
    )
    assert "It is illegal to place a child under 16" in response.content.decode()
    assert not Child.objects.exists()


def test_an_empty_post_is_refused_beside_each_field(client, social_worker):
    response = post_register(client, social_worker, {})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    for message in (
        "Enter the child ID.",
        "Enter the child&#x27;s first name.",
        "Enter the child&#x27;s last name.",
    ):
        assert message in page
    # child ID, names, date of birth, sex, ethnicity, start date, RNE, LS, CIN, PLACE
    assert page.count('class="govuk-error-message"') == 11
    assert not Child.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({**dob(5, 11, 2026)}, "date_of_birth", "today or in the past"),  # tomorrow
        # born today: a baby coming into care on the day of birth
        ({**dob(4, 11, 2026), "setting": "", "place": "U4", "place_provider": "PR1"}, None, None),
        # 18 on the day they come into care is refused; 17 (18 tomorrow) is not
        ({**dob(4, 11, 2008)}, "date_of_birth", "only a child under 18"),
        ({**dob(5, 11, 2008)}, None, None),
        ({"decom_2": "2011"}, "decom", "before they were born"),
        ({"child_id": "NEW 01!"}, "child_id", "letters and digits only"),
        ({"upn": "12345"}, "upn", "13 characters"),
        ({"upn": "un3"}, None, None),
        ({"rne": "P"}, "rne", "RNE S"),
        ({"start_time": "16:01"}, "start_time", "cannot be in the future"),
        ({"start_time": "16:00"}, None, None),  # now: not the future
        ({"start_time": "25:00"}, "start_time", "24-hour clock"),
        ({"first_name": "   "}, "first_name", "first name"),
        # 2025-26 codes: Z1 ended on 31 March 2025 (the service refuses it).
        ({"place": "Z1"}, "place", "collection year"),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_saved(
    client, social_worker, overrides, field, message
):
    response = post_register(
        client, social_worker, {**register_data(SettingFactory()), **overrides}
    )
    if field is None:
        assert response.status_code == 302
        assert Child.objects.count() == 1
        return
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f"id_{field}" in page
    assert not Child.objects.exists() and not Placement.objects.exists()


def test_a_child_id_already_recorded_is_refused(client, social_worker):
    ChildFactory(child_id="NEW0001")
    response = post_register(client, social_worker, register_data(SettingFactory()))
    assert "A child with this child ID is already recorded." in response.content.decode()
    assert Child.objects.count() == 1


@time_machine.travel(datetime(2026, 3, 29, 12, 0, tzinfo=LONDON), tick=False)
def test_a_time_the_clocks_skipped_is_refused(client, social_worker):
    data = register_data(
        SettingFactory(), decom_0="29", decom_1="3", decom_2="2026", start_time="01:30"
    )
    response = post_register(client, social_worker, data)
    assert "There was no 01:30 on 29/03/2026" in response.content.decode()
    assert not Child.objects.exists()
    response = post_register(client, social_worker, {**data, "start_time": "02:30"})
    assert response.status_code == 302


# ============================================================================================
# The start time on the placement form and the child's page
# ============================================================================================


@pytest.fixture
def own_child(social_worker):
    return ChildFactory(
        team=social_worker.team, social_worker=social_worker, date_of_birth=date(2009, 6, 1)
    )


def start_data(setting, **overrides) -> dict:
    data = {
        "setting": setting.pk,
        "decom_0": "4",
        "decom_1": "11",
        "decom_2": "2026",
        "rne": "S",
        "ls": "C2",
        "cin": "N1",
        "place": "K2",
        "place_provider": "PR4",
    }
    return {**data, **overrides}


def test_the_placement_form_refuses_a_start_time_in_the_future(client, social_worker, own_child):
    client.force_login(social_worker)
    url = reverse("placements:placement_start", args=[own_child.pk])
    response = client.post(url, start_data(SettingFactory(), start_time="17:00"))
    assert "The start time cannot be in the future." in response.content.decode()
    assert not own_child.placements.exists()
    response = client.post(url, start_data(SettingFactory(), start_time="9.05"))
    assert response.status_code == 302
    assert own_child.placements.get().start_time == time(9, 5)


def test_the_childs_page_says_when_the_start_time_is_not_recorded(client, social_worker, own_child):
    placement = PlacementFactory(child=own_child, decom=date(2026, 10, 1))
    client.force_login(social_worker)
    url = reverse("placements:child", args=[own_child.pk])
    assert (
        "start time not recorded: treated as the end of the day" in client.get(url).content.decode()
    )
    placement.start_time = time(14, 30)
    placement.save()
    page = client.get(url).content.decode()
    assert "1 October 2026 at 14:30" in page
    assert "start time not recorded" not in page


def test_a_service_manager_authorises_a_setting_not_yet_inspected_in_the_browser(
    client, service_manager, social_worker, own_child
):
    new = SettingFactory(name="Birch House", current_rating=Rating.NOT_YET_INSPECTED)
    url = reverse("placements:placement_start", args=[own_child.pk])
    client.force_login(social_worker)
    page = client.post(url, start_data(new)).content.decode()
    assert "Birch House has not yet been inspected" in page
    assert "override_reason" not in page
    client.force_login(service_manager)
    page = client.post(url, start_data(new)).content.decode()
    assert "give your reason for overriding" in page and "override_reason" in page
    response = client.post(url, start_data(new, override_reason="Registered last month"))
    assert response.status_code == 302
    placement = own_child.placements.get()
    assert placement.guard_override_by == service_manager
    assert placement.guard_override_reason == "Registered last month"
    page = client.get(reverse("placements:child", args=[own_child.pk])).content.decode()
    assert "Guard overridden" in page and "Registered last month" in page


# ============================================================================================
# Concerns about an unregistered placement
# ============================================================================================


@pytest.fixture
def unregistered(own_child):
    return PlacementFactory(
        child=own_child, setting=UnregisteredSettingFactory(), decom=date(2026, 11, 2), place="Z11"
    )


def concern_url(placement) -> str:
    return reverse("placements:placement_concern_create", args=[placement.pk])


@pytest.mark.parametrize("who", ["iro", "social_worker", "team_manager"])
def test_concerns_are_recorded_by_the_iro_social_worker_or_team_manager(
    client, request, own_child, unregistered, iro, who
):
    own_child.iro = iro
    own_child.save()
    user = request.getfixturevalue(who)
    client.force_login(user)
    child_page = reverse("placements:child", args=[own_child.pk])
    assert concern_url(unregistered) in client.get(child_page).content.decode()
    response = client.post(concern_url(unregistered), {"note": "  No smoke alarm.  "})
    assert response.status_code == 302 and response.url == child_page
    concern = PlacementConcern.objects.get()
    assert (concern.placement, concern.note, concern.recorded_by) == (
        unregistered,
        "No smoke alarm.",
        user,
    )
    assert concern.recorded_at == NOW
    assert concern.history.first().history_user == user
    page = client.get(child_page).content.decode()
    assert "No smoke alarm." in page
    # The IRO's visit is due 2 weeks after the start.
    iro_row = Duty.objects.get(child=own_child, kind="iro_visit", status=Duty.Status.OPEN)
    assert iro_row.due == date(2026, 11, 16)


@pytest.mark.parametrize("note", ["", "   \n  "])
def test_a_concern_without_text_is_refused_beside_the_field(
    client, social_worker, unregistered, note
):
    client.force_login(social_worker)
    response = client.post(concern_url(unregistered), {"note": note})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Say what the concerns are." in page
    assert 'id="id_note"' in page
    assert not PlacementConcern.objects.exists()


def test_concerns_are_for_unregistered_placements_only(client, social_worker, own_child):
    registered = PlacementFactory(child=own_child, decom=date(2026, 11, 2))
    client.force_login(social_worker)
    assert client.get(concern_url(registered)).status_code == 404
    assert client.post(concern_url(registered), {"note": "x"}).status_code == 404
    child_page = client.get(reverse("placements:child", args=[own_child.pk])).content.decode()
    assert "Record concerns about this placement" not in child_page
    assert not PlacementConcern.objects.exists()


def test_a_placement_with_no_setting_coded_as_other_takes_concerns(
    client, social_worker, own_child
):
    placement = PlacementFactory(
        child=own_child, setting=None, place="Z11", decom=date(2026, 11, 2)
    )
    client.force_login(social_worker)
    assert client.post(concern_url(placement), {"note": "Concerns"}).status_code == 302


@pytest.mark.parametrize(
    "role", [Role.COMMISSIONING_OFFICER, Role.SERVICE_MANAGER, Role.LADO, Role.DIRECTOR]
)
def test_other_roles_cannot_record_concerns(client, unregistered, role):
    client.force_login(UserFactory(role=role))
    assert client.post(concern_url(unregistered), {"note": "x"}).status_code == 403
    assert not PlacementConcern.objects.exists()


def test_another_teams_worker_gets_404(client, other_team_worker, unregistered):
    client.force_login(other_team_worker)
    response = client.post(concern_url(unregistered), {"note": "x"})
    assert response.status_code == 404
    assert unregistered.child.last_name.encode() not in response.content
    assert not PlacementConcern.objects.exists()
