"""Dates no case could hold are refused beside the field, on every date input (issue 24,
finding 7): a letter given on 31/12/9999 was a server error, and years 0001, 1900 and
2099 were taken for letters, actions and meetings. core.fields.DateInputField is every
form's date input; the window is 1 January 1990 to the end of the fifth year ahead."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django import forms
from django.urls import reverse

from core.fields import DateInputField
from escalations import letters
from escalations.models import LetterOfConcern
from placements.tests.factories import SettingFactory

TODAY = "2026-12-07 12:00 +0000"


def parts(d: date) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


@pytest.mark.parametrize(
    ("typed", "taken"),
    [
        (["1", "1", "1"], False),
        (["1", "1", "1900"], False),
        (["31", "12", "1989"], False),
        (["1", "1", "1990"], True),
        (["7", "12", "2026"], True),
        (["31", "12", "2031"], True),
        (["1", "1", "2032"], False),
        (["1", "1", "2099"], False),
        (["31", "12", "9999"], False),
        (["1", "1", "99999999999999999999"], False),
    ],
)
def test_the_window(typed, taken):
    with time_machine.travel(TODAY, tick=False):
        field = DateInputField()
        if taken:
            assert field.clean(typed) == date(int(typed[2]), int(typed[1]), int(typed[0]))
        else:
            with pytest.raises(forms.ValidationError) as refused:
                field.clean(typed)
            assert "Enter a" in refused.value.messages[0]


def test_the_window_moves_with_the_calendar():
    with time_machine.travel("2027-01-01 09:00 +0000", tick=False):
        assert DateInputField().clean(["31", "12", "2032"]) == date(2032, 12, 31)


ROOT = Path(__file__).resolve().parents[1]


def _form_classes():
    import django.apps

    for config in django.apps.apps.get_app_configs():
        if not config.path.startswith(str(ROOT)) or ".venv" in config.path:
            continue
        for name in ("forms", "admission_forms"):
            try:
                module = importlib.import_module(f"{config.name}.{name}")
            except ModuleNotFoundError:
                continue
            modules = [module]
            if hasattr(module, "__path__"):
                modules += [
                    importlib.import_module(f"{module.__name__}.{info.name}")
                    for info in pkgutil.iter_modules(module.__path__)
                ]
            for found in modules:
                for _, cls in inspect.getmembers(found, inspect.isclass):
                    if issubclass(cls, forms.BaseForm) and cls.__module__ == found.__name__:
                        yield cls


def test_every_date_input_of_every_form_is_the_windowed_field():
    fields = [
        (cls.__name__, field_name, type(field))
        for cls in _form_classes()
        for field_name, field in cls.base_fields.items()
        if isinstance(field, forms.MultiValueField | forms.DateField)
    ]
    assert len(fields) > 20
    assert [f for f in fields if not issubclass(f[2], DateInputField)] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "given", [date(9999, 12, 31), date(1, 1, 1), date(1900, 1, 1), date(2099, 1, 1)]
)
def test_a_letter_given_on_an_impossible_day_is_refused_beside_the_field(
    client, commissioning, assistant_director, given
):
    with time_machine.travel(TODAY, tick=False):
        draft = letters.letter_draft(
            setting=SettingFactory(),
            actor=commissioning,
            addressed_to="Owner",
            copy_to="RI",
            matters_of_concern="Staffing",
            required_actions="Recruit",
            authority_action="Review",
        )
        client.force_login(assistant_director)
        day, month, year = parts(given)
        response = client.post(
            reverse("concerns:letter_issue", args=[draft.pk]),
            {
                "given_on_0": day,
                "given_on_1": month,
                "given_on_2": year,
                "evidence": "Reports",
            },
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Enter a date between" in page
    assert LetterOfConcern.objects.get(pk=draft.pk).status == draft.status
