"""Letters of concern and provider action plans (seed 001)."""

import shutil
import subprocess
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from duties.models import Duty
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


def test_issue_sets_compliance_period_and_a_duty_in_the_deadlines(commissioning, setting):
    letter = _draft(setting, commissioning)
    letters.letter_issue(letter=letter, given_on=date(2026, 12, 18), actor=commissioning)
    letter.refresh_from_db()
    assert letter.status == LetterOfConcern.Status.ISSUED
    assert letter.compliance_ends == date(2027, 1, 13)
    duty = Duty.objects.get(kind="letter_of_concern")
    assert duty.subject == f"letter:{letter.pk}"
    assert duty.setting == setting and duty.owner == commissioning
    assert duty.team == commissioning.team and duty.due == date(2027, 1, 13)
    assert "001" in duty.source
    out = StringIO()
    call_command("deadlines", "--as-of", "2027-01-04", "--kind", "letter_of_concern", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[1] == "letter_of_concern,,SC654321,2027-01-13,open,comm"
    with pytest.raises(ValidationError):
        letters.letter_issue(letter=letter, given_on=date(2026, 12, 19), actor=commissioning)


def test_representations_in_time_accepted_late_refused(client, commissioning, setting):
    letter = _draft(setting, commissioning)
    letters.letter_issue(letter=letter, given_on=date(2026, 3, 20), actor=commissioning)
    # 15 working days after Fri 20 Mar 2026 (Good Friday 3 Apr, Easter Monday 6 Apr).
    assert letter.compliance_ends == date(2026, 4, 14)
    client.force_login(commissioning)
    url = reverse("concerns:letter_representations", args=[letter.pk])
    late = client.post(
        url,
        {
            "representations": "The concerns lack evidence.",
            "representations_received_on_0": "15",
            "representations_received_on_1": "4",
            "representations_received_on_2": "2026",
        },
    )
    assert late.status_code == 200
    page = late.content.decode()
    assert "are too late" in page and "14 April 2026" in page
    letter.refresh_from_db()
    assert letter.representations == "" and letter.representations_received_on is None
    on_time = client.post(
        url,
        {
            "representations": "The concerns lack evidence.",
            "representations_received_on_0": "14",
            "representations_received_on_1": "4",
            "representations_received_on_2": "2026",
        },
    )
    assert on_time.status_code == 302
    letter.refresh_from_db()
    assert letter.representations_received_on == date(2026, 4, 14)
    assert letter.representations == "The concerns lack evidence."


def test_letter_pages_draft_edit_issue(client, commissioning, setting):
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
    issue = client.post(
        reverse("concerns:letter_issue", args=[letter.pk]),
        {"given_on_0": "18", "given_on_1": "12", "given_on_2": "2026"},
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
def test_letter_pdf_renders(client, commissioning, setting, tmp_path):
    letter = _draft(setting, commissioning)
    letters.letter_issue(letter=letter, given_on=date(2026, 12, 18), actor=commissioning)
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
