"""Security review: every sign-in, failed sign-in, sign-out, export and view of a restricted
record is in the access log, and an administrator can search it by username."""

import pytest
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from placements.models import AccessLog
from placements.tests.factories import ChildFactory, PlacementFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
WRONG = "Tr0ub4dor&3-not-it"


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def rows(**filters):
    return list(AccessLog.objects.filter(**filters).order_by("pk"))


def every_value_logged() -> str:
    return " ".join(
        str(value) for row in AccessLog.objects.values() for value in row.values() if value
    )


def test_a_sign_in_is_logged_with_the_account(client, social_worker):
    assert sign_in(client, "sw").status_code == 302
    [row] = rows(action=AccessLog.Action.SIGN_IN)
    assert row.user == social_worker
    assert row.path == LOGIN
    assert row.child is None and row.at is not None


def test_a_failed_sign_in_names_the_account_tried_and_never_the_password(client, social_worker):
    assert sign_in(client, "sw", WRONG).status_code == 200
    [row] = rows(action=AccessLog.Action.SIGN_IN_FAILED)
    assert row.user == social_worker
    assert row.detail == "Username tried: sw"
    assert row.path == LOGIN
    assert not rows(action=AccessLog.Action.SIGN_IN)
    assert WRONG not in every_value_logged()
    assert "*****" not in every_value_logged()  # not even Django's mask of it


def test_a_failed_sign_in_with_an_unknown_username_keeps_the_name_tried(client, social_worker):
    sign_in(client, "mallory", WRONG)
    [row] = rows(action=AccessLog.Action.SIGN_IN_FAILED)
    assert row.user is None
    assert row.detail == "Username tried: mallory"
    assert WRONG not in every_value_logged()


def test_a_disabled_account_signing_in_is_a_failed_sign_in(client, social_worker):
    social_worker.is_active = False
    social_worker.save()
    sign_in(client, "sw")
    [row] = rows(action=AccessLog.Action.SIGN_IN_FAILED)
    assert row.user == social_worker
    assert not rows(action=AccessLog.Action.SIGN_IN)


def test_attempts_after_the_lockout_are_logged_as_locked_out(client, social_worker):
    for _ in range(5):
        sign_in(client, "sw", WRONG)
    assert sign_in(client, "sw").status_code == 429  # the right password, but locked
    failed = rows(action=AccessLog.Action.SIGN_IN_FAILED, user=social_worker)
    assert len(failed) == 6
    assert "locked out" in failed[-1].detail
    assert not rows(action=AccessLog.Action.SIGN_IN)


def test_a_sign_out_is_logged(client, social_worker):
    sign_in(client, "sw")
    assert client.post(reverse("logout")).status_code == 302
    [row] = rows(action=AccessLog.Action.SIGN_OUT)
    assert row.user == social_worker
    assert row.path == "/accounts/logout/"


def test_signing_out_when_not_signed_in_logs_nothing(client, social_worker):
    client.post(reverse("logout"))
    assert not rows(action=AccessLog.Action.SIGN_OUT)


def test_every_csv_export_is_logged(client, social_worker, team_manager, commissioning):
    """The CSV downloads of every list: one EXPORT row each, by the person who took it."""
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    PlacementFactory(child=child)
    exports = [
        (team_manager, reverse("placements:children")),
        (team_manager, reverse("placements:placements")),
        (commissioning, reverse("placements:settings")),
        (team_manager, reverse("duties:deadlines")),
        (social_worker, reverse("duties:worktray")),
    ]
    for user, url in exports:
        client.force_login(user)
        before = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count()
        response = client.get(url, {"format": "csv"})
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/csv"), url
        b"".join(response.streaming_content)
        logged = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).order_by("-pk")
        assert logged.count() == before + 1, url
        assert logged.first().user == user, url
        assert logged.first().path.startswith(url), url


def test_viewing_a_restricted_record_is_logged(client, social_worker):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker, restricted=True)
    client.force_login(social_worker)
    assert client.get(reverse("placements:child", args=[child.pk])).status_code == 200
    [row] = rows(action=AccessLog.Action.VIEW_RESTRICTED)
    assert row.user == social_worker and row.child == child


@pytest.mark.parametrize(
    "admin_page",
    [
        lambda child, visit, placement: ("placements_child_change", child.pk),
        lambda child, visit, placement: ("placements_child_history", child.pk),
        lambda child, visit, placement: ("visits_visit_change", visit.pk),
        lambda child, visit, placement: ("visits_visit_history", visit.pk),
        lambda child, visit, placement: ("placements_placement_change", placement.pk),
    ],
    ids=["child", "child history", "visit", "visit history", "placement"],
)
def test_an_administrator_reading_a_restricted_record_in_the_admin_is_logged(
    client, administrator, social_worker, admin_page
):
    """Issue 24, finding 3: administrators read restricted records in /admin/ (the
    child, its history, its visits) and nothing was logged."""
    from visits.tests.factories import VisitFactory

    placement = PlacementFactory(
        child=ChildFactory(team=social_worker.team, social_worker=social_worker, restricted=True)
    )
    child = placement.child
    visit = VisitFactory(child=child, placement=placement)
    name, pk = admin_page(child, visit, placement)
    client.force_login(administrator)
    assert client.get(reverse(f"admin:{name}", args=[pk])).status_code == 200
    [row] = rows(action=AccessLog.Action.VIEW_RESTRICTED)
    assert row.user == administrator and row.child == child
    assert row.path == reverse(f"admin:{name}", args=[pk])


def test_the_admin_logs_nothing_for_a_child_who_is_not_restricted(
    client, administrator, social_worker
):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    client.force_login(administrator)
    assert client.get(reverse("admin:placements_child_change", args=[child.pk])).status_code == 200
    assert client.get(reverse("admin:placements_child_changelist")).status_code == 200
    assert rows(action=AccessLog.Action.VIEW_RESTRICTED) == []


def test_downloading_a_child_record_as_pdf_is_logged_as_an_export(client, social_worker):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    client.force_login(social_worker)
    response = client.get(reverse("placements:child_pdf", args=[child.pk]))
    assert response.status_code == 200
    assert rows(action=AccessLog.Action.EXPORT, child=child)


# --- What the administrator sees ------------------------------------------------------------


def changelist(client, **params):
    response = client.get(reverse("admin:placements_accesslog_changelist"), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_administrator_finds_a_persons_sign_ins_failures_and_sign_outs_by_username(
    client, social_worker, team_manager, administrator
):
    sign_in(client, "sw", WRONG)
    sign_in(client, "sw")
    client.post(reverse("logout"))
    sign_in(client, "tm")
    client.post(reverse("logout"))

    client.force_login(administrator)
    found = changelist(client, q="sw")
    assert [row.action for row in found] == ["sign_out", "sign_in", "sign_in_failed"]
    assert {row.user for row in found} == {social_worker}
    failed = changelist(client, action__exact="sign_in_failed")
    assert [row.user for row in failed] == [social_worker]
    page = client.get(reverse("admin:placements_accesslog_changelist"), {"q": "sw"})
    assert "Failed to sign in" in page.content.decode()


def test_administrator_finds_failed_sign_ins_of_an_unknown_username(client, administrator):
    sign_in(client, "mallory", WRONG)
    client.force_login(administrator)
    found = changelist(client, q="mallory")
    assert [row.action for row in found] == ["sign_in_failed"]


def test_the_access_log_is_read_only_even_for_an_administrator(
    client, social_worker, administrator
):
    sign_in(client, "sw")
    row = AccessLog.objects.get(action=AccessLog.Action.SIGN_IN)
    client.force_login(administrator)
    assert client.get(reverse("admin:placements_accesslog_add")).status_code == 403
    delete = reverse("admin:placements_accesslog_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:placements_accesslog_change", args=[row.pk])
    client.post(change, {"action": "export", "path": "/", "detail": "edited"})
    row.refresh_from_db()
    assert row.action == "sign_in" and row.detail == ""


def test_only_administrators_see_the_access_log(client, social_worker, team_manager):
    for user in (social_worker, team_manager, UserFactory(is_staff=True)):
        client.force_login(user)
        response = client.get(reverse("admin:placements_accesslog_changelist"))
        assert response.status_code in (302, 403), user
