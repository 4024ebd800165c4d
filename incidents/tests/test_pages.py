"""Incidents and allegations in the browser: recording, reading, who is refused, what the
setting's and child's pages show, the scoping request an allegation starts, and lists that
run a fixed number of queries whatever their length."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duties.models import Duty
from incidents import services
from incidents.models import Allegation, Incident, IncidentKind, ReferralMethod, SubjectRole
from placements.tests.factories import ChildFactory, PlacementFactory

from .conftest import at, travel

pytestmark = pytest.mark.django_db
NOW = at(2026, 5, 8, 10, 0)


def _date(name: str, day: date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def _incident(actor, home, children, **extra):
    return services.incident_record(
        setting=home,
        kind=extra.pop("kind", IncidentKind.SELF_HARM),
        occurred_on=date(2026, 5, 6),
        occurred_time=time(9, 0),
        children=children,
        summary=extra.pop("summary", "Cut her arm."),
        actor=actor,
        **extra,
    )


def _allegation(actor, home, children=()):
    return services.allegation_record(
        subject_name="Jo Carer",
        subject_role=SubjectRole.STAFF,
        setting=home,
        children=children,
        allegation="Pushed a child.",
        known_on=date(2026, 5, 7),
        known_time=time(16, 0),
        made_by="The child",
        actor=actor,
    )


def test_commissioning_records_an_incident_and_its_page_shows_the_duties(
    client, commissioning, home, child
):
    client.force_login(commissioning)
    url = reverse("incidents:incident_create", kwargs={"pk": home.pk})
    with travel(NOW):
        form = client.get(url)
        assert "Ada Incidentson (K700001)" in form.content.decode()
        response = client.post(
            url,
            {
                "kind": IncidentKind.RESTRAINT,
                **_date("occurred_on", date(2026, 5, 7)),
                "occurred_time": "21:40",
                "children": [child.pk],
                "restraint_used": "on",
                "summary": "Held to stop him hitting staff.",
            },
        )
        incident = Incident.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("incidents:incident", kwargs={"pk": incident.pk})
        page = client.get(response["Location"]).content.decode()
    assert list(incident.children.all()) == [child]
    assert {row.history_user for row in incident.history.all()} == {commissioning}
    assert "Physical restraint" in page and "Ada Incidentson" in page
    assert "Staff debrief after restraint within 24 hours of 7 May 2026 at 21:40" in page
    assert "must happen by 10 May 2026 at 21:40 at the latest (72 hours)" in page
    assert Duty.objects.filter(setting=home, status="open").count() == 3


def test_an_empty_incident_is_refused_beside_its_fields(client, commissioning, home):
    client.force_login(commissioning)
    response = client.post(reverse("incidents:incident_create", kwargs={"pk": home.pk}), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Choose the kind of incident" in html
    assert "Describe what happened" in html
    assert not Incident.objects.exists()


def test_a_worker_reads_the_incidents_of_their_children_only(
    client, social_worker, other_team_worker, commissioning, home, child, other_child
):
    with travel(NOW):
        mine = _incident(commissioning, home, [child])
        theirs = _incident(commissioning, home, [other_child], summary="Ran into the road.")
    client.force_login(social_worker)
    listing = client.get(reverse("incidents:setting_incidents", kwargs={"pk": home.pk}))
    body = listing.content.decode()
    assert "Cut her arm" not in body  # the summary is on the incident's page
    assert "Ada Incidentson" in body and "Bea Elsewhere" not in body
    assert client.get(reverse("incidents:incident", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("incidents:incident", kwargs={"pk": mine.pk})).status_code == 200
    setting_page = client.get(reverse("placements:setting", kwargs={"pk": home.pk}))
    assert 'data-testid="setting-incidents"' in setting_page.content.decode()
    assert "Bea Elsewhere" not in setting_page.content.decode()
    child_page = client.get(reverse("incidents:child_incidents", kwargs={"pk": child.pk}))
    assert "Self-harm" in child_page.content.decode()


def test_a_childs_debrief_is_recorded_and_judged_against_the_limit(
    client, social_worker, home, child
):
    with travel(NOW):
        incident = _incident(social_worker, home, [child])
    client.force_login(social_worker)
    url = reverse("incidents:incident_debrief", kwargs={"pk": incident.pk})
    with travel(at(2026, 5, 10, 12, 0)):
        response = client.post(
            url,
            {
                "kind": "child",
                "child": child.pk,
                **_date("held_on", date(2026, 5, 9)),
                "held_time": "10:00",
            },
        )
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert "Ada Incidentson's debrief, held 9 May 2026 at 10:00 (after the 72-hour limit)" in page
    assert Duty.objects.get(kind="child_debrief").status == "done"


def test_an_allegation_from_the_childs_page_to_the_lado_and_a_scoping_request(
    client, social_worker, lado, home, child
):
    client.force_login(social_worker)
    url = f"{reverse('incidents:allegation_create')}?child={child.pk}"
    with travel(NOW):
        form = client.get(url).content.decode()
        assert f'value="{home.pk}" selected' in form  # the child's current setting
        response = client.post(
            url,
            {
                "subject_name": "Jo Carer",
                "subject_role": "staff",
                "setting": home.pk,
                "children": [child.pk],
                "allegation": "Pushed Ada.",
                **_date("known_on", date(2026, 5, 8)),
                "known_time": "09:15",
                "made_by": "Ada",
            },
        )
        made = Allegation.objects.get()
        assert response["Location"] == reverse("incidents:allegation", kwargs={"pk": made.pk})
        page = client.get(response["Location"]).content.decode()
        assert "Due by 9 May 2026 at 09:15" in page
        assert "Request a scoping meeting about this setting" in page
        request_url = f"{reverse('scoping:request_create')}?setting={home.pk}&allegation={made.pk}"
        assert request_url.replace("&", "&amp;") in page
        prefilled = client.get(request_url).content.decode()
        assert f"Allegation {made.pk} against a member of staff of this setting" in prefilled
        referral = client.post(
            reverse("incidents:allegation_referral", kwargs={"pk": made.pk}),
            {**_date("referred_on", date(2026, 5, 8)), "referred_time": "09:45", "method": "phone"},
        )
        assert referral.status_code == 302
        outcome_url = reverse("incidents:allegation_outcome", kwargs={"pk": made.pk})
        assert client.get(outcome_url).status_code == 403
        client.force_login(lado)
        done = client.post(
            outcome_url, {"outcome": "unsubstantiated", **_date("outcome_on", date(2026, 5, 8))}
        )
        assert done.status_code == 302
    made.refresh_from_db()
    assert made.referral_method == ReferralMethod.PHONE and made.outcome == "unsubstantiated"
    assert Duty.objects.get(kind="lado_referral").status == "done"


def test_an_allegation_without_a_time_is_refused_beside_the_field(client, social_worker):
    client.force_login(social_worker)
    with travel(NOW):
        response = client.post(
            reverse("incidents:allegation_create"),
            {
                "subject_name": "Jo",
                "subject_role": "carer",
                "allegation": "Something.",
                **_date("known_on", date(2026, 5, 8)),
                "made_by": "A teacher",
            },
        )
    html = response.content.decode()
    assert response.status_code == 200 and "Enter the time on the 24-hour clock" in html
    assert not Allegation.objects.exists()


def test_an_allegation_about_the_settings_staff_is_concern_evidence_on_its_page(
    client, social_worker, other_team_worker, commissioning, home, child
):
    with travel(NOW):
        _allegation(social_worker, home, [child])
    for user, shown in ((commissioning, True), (social_worker, True), (other_team_worker, False)):
        client.force_login(user)
        page = client.get(reverse("placements:setting", kwargs={"pk": home.pk})).content.decode()
        assert ("Against Jo Carer (member of staff)" in page) is shown, user
        assert "Allegations against staff" in page


@pytest.mark.parametrize("view", ["setting_incidents", "allegations"])
def test_lists_run_a_fixed_number_of_queries_at_two_sizes(
    client, commissioning, lado, home, django_assert_num_queries, view
):
    user = commissioning if view == "setting_incidents" else lado
    url = (
        reverse("incidents:setting_incidents", kwargs={"pk": home.pk})
        if view == "setting_incidents"
        else reverse("incidents:allegations")
    )
    client.force_login(user)

    def add(count: int) -> None:
        with travel(NOW):
            for _ in range(count):
                kid = ChildFactory()
                PlacementFactory(child=kid, setting=home, decom=date(2026, 1, 5))
                if view == "setting_incidents":
                    _incident(commissioning, home, [kid])
                else:
                    _allegation(commissioning, home, [kid])

    add(2)
    client.get(url)  # the session and anything cached warm up
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add(4)
    with django_assert_num_queries(len(small)):
        response = client.get(url)
    assert response.content.decode().count("a child whose record you cannot see") == 0
