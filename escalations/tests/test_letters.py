"""Letters of concern and provider action plans (seed 001)."""

import shutil
import subprocess
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from duties.models import Duty, RuleValue
from escalations import letters
from escalations.models import LetterOfConcern, PlanAction
from placements.tests.factories import ProviderFactory, SettingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    provider = ProviderFactory(
        name="Hearth Homes Ltd", contact_name="Morgan Owner", responsible_individual="Rita Ind"
    )
    return SettingFactory(name="Elm Lodge", urn="SC654321", provider=provider)


EVIDENCE = "Reg 44 reports of January and February; three restraints not recorded"


def _issue(letter, actor, given_on):
    return letters.letter_issue(letter=letter, given_on=given_on, evidence=EVIDENCE, actor=actor)


def _draft(setting, actor):
    return letters.letter_draft(
        setting=setting,
        actor=actor,
        addressed_to="Morgan Owner",
        copy_to="Rita Ind",
        matters_of_concern="Restraints are not recorded.",
        required_actions="Record every restraint and review them weekly.",
        authority_action="Report the home to Ofsted.",
    )


@pytest.mark.parametrize(
    ("given_on", "ends"),
    [
        # Fri 18 Dec 2026: Christmas Day Fri 25 Dec, Boxing Day (substitute) Mon 28 Dec
        # and New Year's Day Fri 1 Jan 2027 do not count. Working days: 21, 22, 23, 24,
        # 29, 30, 31 Dec; 4, 5, 6, 7, 8, 11, 12, 13 Jan.
        (date(2026, 12, 18), date(2027, 1, 13)),
        # Mon 22 Mar 2027: Good Friday 26 Mar and Easter Monday 29 Mar do not count.
        # Working days: 23, 24, 25, 30, 31 Mar; 1, 2, 5, 6, 7, 8, 9, 12, 13, 14 Apr.
        (date(2027, 3, 22), date(2027, 4, 14)),
        # No bank holiday: three whole weeks.
        (date(2026, 2, 2), date(2026, 2, 23)),
    ],
)
def test_compliance_period_is_15_england_working_days(given_on, ends):
    assert letters.compliance_end(given_on) == ends


def test_issue_sets_compliance_period_and_a_duty_in_the_deadlines(
    commissioning, assistant_director, setting
):
    letter = _draft(setting, commissioning)
    _issue(letter, assistant_director, date(2026, 12, 18))
    letter.refresh_from_db()
    assert letter.status == LetterOfConcern.Status.ISSUED
    assert letter.compliance_ends == date(2027, 1, 13)
    assert letter.issued_by == assistant_director and letter.decision_evidence == EVIDENCE
    assert letter.history.first().history_user == assistant_director
    duty = Duty.objects.get(kind="letter_of_concern")
    assert duty.subject == f"letter:{letter.pk}"
    assert duty.setting == setting and duty.owner == commissioning
    assert duty.team == commissioning.team and duty.due == date(2027, 1, 13)
    assert "001" in duty.source and "letter_compliance_working_days" in duty.source
    out = StringIO()
    call_command("deadlines", "--as-of", "2027-01-04", "--kind", "letter_of_concern", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[1] == "letter_of_concern,,SC654321,2027-01-13,open,comm"
    with pytest.raises(ValidationError):
        _issue(letter, assistant_director, date(2026, 12, 19))


@pytest.mark.parametrize("persona", ["commissioning", "team_manager", "service_manager"])
def test_managers_and_commissioning_prepare_but_do_not_issue(client, request, setting, persona):
    user = request.getfixturevalue(persona)
    letter = _draft(setting, user)
    client.force_login(user)
    page = client.get(reverse("concerns:letter", args=[letter.pk])).content.decode()
    assert reverse("concerns:letter_edit", args=[letter.pk]) in page
    assert reverse("concerns:letter_issue", args=[letter.pk]) not in page
    assert "A draft for the assistant director or director to issue." in page
    url = reverse("concerns:letter_issue", args=[letter.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"given_on_0": "1", "given_on_1": "12", "given_on_2": "2026"}).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        _issue(letter, user, date(2026, 12, 1))
    letter.refresh_from_db()
    assert letter.status == LetterOfConcern.Status.DRAFT and not Duty.objects.exists()


def test_issuing_needs_the_evidence(client, commissioning, assistant_director, setting):
    letter = _draft(setting, commissioning)
    client.force_login(assistant_director)
    response = client.post(
        reverse("concerns:letter_issue", args=[letter.pk]),
        {"given_on_0": "1", "given_on_1": "12", "given_on_2": "2026", "evidence": " "},
    )
    assert response.status_code == 200
    assert "govuk-error-message" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        letters.letter_issue(
            letter=letter, given_on=date(2026, 12, 1), evidence="", actor=assistant_director
        )
    assert "evidence" in refused.value.message_dict
    letter.refresh_from_db()
    assert letter.status == LetterOfConcern.Status.DRAFT


# Delivery and representations (seed 001 l.218: "within 15 working days of receipt") ----------


@pytest.fixture
def issued(setting, commissioning, director):
    letter = _draft(setting, commissioning)
    return _issue(letter, director, date(2026, 12, 16))


def _deliver(letter, actor, received_on, today=date(2027, 2, 1), method="post"):
    return letters.letter_record_delivery(
        letter=letter, method=method, received_on=received_on, actor=actor, today=today
    )


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        # Fri 18 Dec 2026: Christmas Day Fri 25 Dec, Boxing Day (substitute) Mon 28 Dec and
        # New Year's Day Fri 1 Jan 2027 do not count. Working days: 21, 22, 23, 24, 29, 30,
        # 31 Dec; 4, 5, 6, 7, 8, 11, 12, 13 Jan.
        (date(2026, 12, 18), date(2027, 1, 13)),
        # Thu 24 Dec 2026, the last working day before Christmas: 29, 30, 31 Dec; 4-8,
        # 11-15, 18, 19 Jan -> Tue 19 Jan 2027.
        (date(2026, 12, 24), date(2027, 1, 19)),
        # Received on Christmas Day (a bank holiday, by hand): day 1 is Tue 29 Dec.
        (date(2026, 12, 25), date(2027, 1, 19)),
        # Month end: Thu 31 Dec 2026 -> 4-8, 11-15, 18-22 Jan: Fri 22 Jan 2027.
        (date(2026, 12, 31), date(2027, 1, 22)),
    ],
)
def test_the_representation_period_runs_15_working_days_from_receipt(
    issued, commissioning, received_on, due
):
    letter = _deliver(issued, commissioning, received_on)
    assert letter.received_on == received_on
    assert letter.representations_due == due == letters.representations_end(received_on)
    # The compliance period still runs from the day the letter was given (l.204).
    assert letter.compliance_ends == letters.compliance_end(date(2026, 12, 16))


def test_the_representation_period_is_a_rule_value(issued, commissioning):
    rule = RuleValue.objects.get(name="letter_representations_working_days")
    assert rule.value == 15 and "l.218" in rule.source
    rule.value = 10
    rule.save()
    letter = _deliver(issued, commissioning, date(2026, 12, 18))
    # 21, 22, 23, 24, 29, 30, 31 Dec; 4, 5, 6 Jan.
    assert letter.representations_due == date(2027, 1, 6)
    assert RuleValue.objects.get(name="letter_compliance_working_days").value == 15


@pytest.mark.parametrize(
    ("received_on", "accepted"),
    [
        (date(2026, 12, 15), False),  # the day before it was issued
        (date(2026, 12, 16), True),  # the day it was issued
        (date(2026, 12, 17), True),
    ],
    ids=["day before issue", "day of issue", "day after issue"],
)
def test_a_receipt_before_the_letter_was_issued_is_refused(
    issued, commissioning, received_on, accepted
):
    if accepted:
        assert _deliver(issued, commissioning, received_on).received_on == received_on
        return
    with pytest.raises(ValidationError) as refused:
        _deliver(issued, commissioning, received_on)
    assert "before it was issued" in refused.value.message_dict["received_on"][0]
    issued.refresh_from_db()
    assert issued.received_on is None and issued.representations_due is None


@pytest.mark.parametrize(
    ("today", "accepted"),
    [(date(2026, 12, 17), False), (date(2026, 12, 18), True), (date(2026, 12, 19), True)],
    ids=["day before receipt", "day of receipt", "day after receipt"],
)
def test_a_receipt_in_the_future_is_refused(issued, commissioning, today, accepted):
    if accepted:
        assert _deliver(issued, commissioning, date(2026, 12, 18), today=today).received_on
        return
    with pytest.raises(ValidationError) as refused:
        _deliver(issued, commissioning, date(2026, 12, 18), today=today)
    assert "today or in the past" in refused.value.message_dict["received_on"][0]


def _post_delivery(client, letter, day, month, year, method="hand"):
    return client.post(
        reverse("concerns:letter_delivery", args=[letter.pk]),
        {
            "delivery_method": method,
            "received_on_0": str(day),
            "received_on_1": str(month),
            "received_on_2": str(year),
        },
    )


def test_the_delivery_page_refuses_bad_dates_beside_the_field(client, issued, commissioning):
    with time_machine.travel(date(2026, 12, 18), tick=False):
        client.force_login(commissioning)
        for day, month, message in (
            (15, 12, "cannot be received before it was issued (16 December 2026)"),
            (19, 12, "today or in the past"),
        ):
            response = _post_delivery(client, issued, day, month, 2026)
            assert response.status_code == 200
            page = response.content.decode()
            assert "govuk-error-message" in page and message in page
            issued.refresh_from_db()
            assert issued.received_on is None
        response = _post_delivery(client, issued, "", "", "", method="")
        page = response.content.decode()
        assert "Choose how the letter was delivered." in page
        ok = _post_delivery(client, issued, 18, 12, 2026)
        assert ok.status_code == 302
        issued.refresh_from_db()
        assert issued.delivery_method == "hand" and issued.received_on == date(2026, 12, 18)
        assert issued.representations_due == date(2027, 1, 13)
        detail = client.get(reverse("concerns:letter", args=[issued.pk])).content.decode()
        assert "Hand delivered; received 18 December 2026" in detail
        assert "Wednesday 13 January 2027" in detail
        assert reverse("concerns:letter_representations", args=[issued.pk]) in detail


def _post_representations(client, letter, day, month, year):
    return client.post(
        reverse("concerns:letter_representations", args=[letter.pk]),
        {
            "representations": "The concerns lack evidence.",
            "representations_received_on_0": str(day),
            "representations_received_on_1": str(month),
            "representations_received_on_2": str(year),
        },
    )


def test_representations_before_delivery_is_recorded_are_refused(issued, commissioning):
    with pytest.raises(ValidationError) as refused:
        letters.letter_record_representations(
            letter=issued, text="No", received_on=date(2026, 12, 17), actor=commissioning
        )
    assert "received the letter first" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("on", "accepted"),
    [
        (date(2026, 12, 17), False),  # before the owners received the letter
        (date(2027, 1, 12), True),  # the day before the last day
        (date(2027, 1, 13), True),  # the last day
        (date(2027, 1, 14), False),  # the day after: too late
    ],
    ids=["before receipt", "day before", "last day", "day after"],
)
def test_representations_count_within_15_working_days_of_receipt(
    client, issued, commissioning, on, accepted
):
    _deliver(issued, commissioning, date(2026, 12, 18))
    with time_machine.travel(date(2027, 2, 1), tick=False):
        client.force_login(commissioning)
        response = _post_representations(client, issued, on.day, on.month, on.year)
    issued.refresh_from_db()
    if accepted:
        assert response.status_code == 302
        assert issued.representations_received_on == on
        assert issued.representations == "The concerns lack evidence."
        # The receipt date is fixed once representations are recorded against it.
        with pytest.raises(ValidationError):
            _deliver(issued, commissioning, date(2026, 12, 21))
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-message" in page
    if on > date(2027, 1, 13):
        assert "are too late" in page and "13 January 2027" in page
    else:
        assert "before the owners received the letter (18 December 2026)" in page
    assert issued.representations == "" and issued.representations_received_on is None


def test_letter_pages_draft_edit_issue(client, commissioning, assistant_director, setting):
    client.force_login(commissioning)
    form = client.get(reverse("concerns:letter_create", args=[setting.pk])).content.decode()
    assert 'value="Morgan Owner"' in form and 'value="Rita Ind"' in form
    response = client.post(
        reverse("concerns:letter_create", args=[setting.pk]),
        {
            "addressed_to": "Morgan Owner",
            "copy_to": "Rita Ind",
            "matters_of_concern": "",
            "required_actions": "Act",
            "authority_action": "Report",
        },
    )
    assert response.status_code == 200 and "govuk-error-message" in response.content.decode()
    letter = _draft(setting, commissioning)
    edit = client.post(
        reverse("concerns:letter_edit", args=[letter.pk]),
        {
            "addressed_to": "Morgan Owner",
            "copy_to": "Rita Ind",
            "matters_of_concern": "Changed matters",
            "required_actions": "Act",
            "authority_action": "Report",
        },
    )
    assert edit.status_code == 302
    client.force_login(assistant_director)
    issue = client.post(
        reverse("concerns:letter_issue", args=[letter.pk]),
        {"given_on_0": "18", "given_on_1": "12", "given_on_2": "2026", "evidence": EVIDENCE},
    )
    assert issue.status_code == 302
    letter.refresh_from_db()
    assert letter.matters_of_concern == "Changed matters"
    assert letter.compliance_ends == date(2027, 1, 13)
    detail = client.get(reverse("concerns:letter", args=[letter.pk])).content.decode()
    assert "Wednesday 13 January 2027" in detail


def test_social_worker_cannot_draft_letters_or_plans(client, social_worker, setting):
    client.force_login(social_worker)
    assert client.get(reverse("concerns:letter_create", args=[setting.pk])).status_code == 403
    assert client.post(reverse("concerns:plan_create", args=[setting.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        _draft(setting, social_worker)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_letter_pdf_renders(client, commissioning, assistant_director, setting, tmp_path):
    letter = _draft(setting, commissioning)
    _issue(letter, assistant_director, date(2026, 12, 18))
    client.force_login(commissioning)
    response = client.get(reverse("concerns:letter_pdf", args=[letter.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "letter.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Letter of concern" in text
    assert "13 January 2027" in text
    assert "Morgan Owner" in text and "cc: Rita Ind" in text
    assert "Report the home to Ofsted." in text
    assert "within 15 working days of your receipt of this letter" in " ".join(text.split())


def test_action_plan_action_deadline_is_a_duty_kept_in_step(client, commissioning, setting):
    client.force_login(commissioning)
    response = client.post(reverse("concerns:plan_create", args=[setting.pk]))
    assert response.status_code == 302
    plan = setting.action_plans.get()
    add = client.post(
        reverse("concerns:action_add", args=[plan.pk]),
        {
            "action": "Train all staff in recording restraint",
            "lead": "Registered manager",
            "deadline_0": "15",
            "deadline_1": "1",
            "deadline_2": "2027",
            "milestones": "Half the staff by 31 December",
            "progress": "",
        },
    )
    assert add.status_code == 302
    action = PlanAction.objects.get()
    duty = Duty.objects.get(kind="action_plan", subject=f"plan_action:{action.pk}")
    assert duty.due == date(2027, 1, 15) and duty.setting == setting
    assert duty.status == Duty.Status.OPEN

    edit = client.post(
        reverse("concerns:action_edit", args=[action.pk]),
        {
            "action": action.action,
            "lead": "Registered manager",
            "deadline_0": "29",
            "deadline_1": "1",
            "deadline_2": "2027",
            "milestones": "",
            "progress": "Half trained",
        },
    )
    assert edit.status_code == 302
    duty.refresh_from_db()
    assert duty.due == date(2027, 1, 29)
    assert Duty.objects.filter(kind="action_plan").count() == 1

    page = client.get(reverse("concerns:plan", args=[plan.pk])).content.decode()
    assert "Half trained" in page and "29 Jan 2027" in page

    done = client.post(reverse("concerns:action_complete", args=[action.pk]))
    assert done.status_code == 302
    duty.refresh_from_db()
    action.refresh_from_db()
    assert action.status == PlanAction.Status.DONE
    assert duty.status == Duty.Status.DONE and duty.done_on == action.done_on
    out = StringIO()
    call_command("deadlines", "--as-of", str(action.done_on), "--kind", "action_plan", stdout=out)
    assert f"action_plan,,{setting.urn},2027-01-29,done,comm" in out.getvalue()
