"""seed_demo --children: a believable caseload that the placement guard would have allowed."""

import random
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Role, User
from demo import register as demo
from duties.models import Duty
from escalations.models import IroEscalation
from placements import codes, rules
from placements.models import (
    Child,
    Inspection,
    Placement,
    Provider,
    ProvisionEligibility,
    ProvisionType,
    Rating,
    RegistrationStatus,
    Regulator,
    Setting,
    age_on,
)
from reviews.models import LacReview
from scoping.models import ScopingMeeting, ScopingRequest
from tests.clock import EVERY_DEMO_DAY
from visits.models import ScheduleOverride, Visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_day")]

CHILDREN = 60
FOSTERING = {ProvisionType.IN_HOUSE_FOSTERING, ProvisionType.IFA_FOSTERING}
# What the 903 PLACE code must be for each kind of setting (by collection year where it differs).
PLACE_FOR = {
    ProvisionType.IN_HOUSE_FOSTERING: lambda year: {"U1", "U2", "U3", "U4", "U5", "U6"},
    ProvisionType.IFA_FOSTERING: lambda year: {"U4", "U5", "U6"},
    ProvisionType.CHILDRENS_HOME: lambda year: {"K2"},
    ProvisionType.SECURE_CHILDRENS_HOME: lambda year: {"K1"},
    ProvisionType.RESIDENTIAL_SPECIAL_SCHOOL: lambda year: {"S1"},
    ProvisionType.SUPPORTED_ACCOMMODATION: lambda year: {"K3"} if year >= 2025 else {"H5"},
    ProvisionType.UNREGISTERED: lambda year: {"Z11"} if year >= 2025 else {"Z1"},
}
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def seed_demo(children=CHILDREN, seed=3) -> str:
    out = StringIO()
    call_command(
        "seed_demo",
        "--children",
        str(children),
        "--i-know-this-is-not-production",
        "--seed",
        str(seed),
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture
def seeded(demo_day):
    return seed_demo()


def placements():
    return list(
        Placement.objects.select_related(
            "child", "setting", "guard_override_by", "director_authorised_by"
        )
        .prefetch_related("setting__inspections")
        .order_by("child__child_id", "decom")
    )


def episodes_by_child():
    by_child = defaultdict(list)
    for placement in placements():
        by_child[placement.child].append(placement)
    return by_child


def rating_on(setting, day):
    """The setting's judgement on a day, from its recorded inspections."""
    rows = sorted(setting.inspections.all(), key=lambda i: i.inspection_date)
    if not rows:
        return setting.current_rating
    rating = rows[0].previous_judgement or Rating.NOT_YET_INSPECTED
    for row in rows:
        if row.inspection_date <= day:
            rating = row.overall_judgement
    return rating


def snapshot():
    """Everything about the demo records that is not a primary key."""
    return {
        "children": sorted(
            Child.objects.values_list(
                "child_id",
                "first_name",
                "last_name",
                "date_of_birth",
                "sex",
                "ethnicity",
                "upn",
                "social_worker__username",
                "iro__username",
                "restricted",
            )
        ),
        "placements": sorted(
            Placement.objects.values_list(
                "child__child_id",
                "decom",
                "dec",
                "rne",
                "ls",
                "cin",
                "place",
                "place_provider",
                "rec",
                "reason_place_change",
                "setting__name",
                "pl_post",
                "home_post",
                "urn",
                "guard_override_reason",
            )
        ),
        "settings": sorted(
            Setting.objects.values_list(
                "name", "urn", "provision_type", "current_rating", "current_rating_date"
            ),
            key=str,
        ),
        "inspections": sorted(
            Inspection.objects.values_list("setting__name", "inspection_date", "overall_judgement")
        ),
        "providers": sorted(Provider.objects.values_list("name", "sector")),
    }


def test_counts_and_summary(seeded):
    assert Child.objects.count() == CHILDREN
    assert set(Child.objects.values_list("child_id", flat=True)) == {
        f"D{n:06d}" for n in range(1, CHILDREN + 1)
    }
    assert Setting.objects.count() == demo.settings_for(CHILDREN) == 25
    assert set(Provider.objects.values_list("sector", flat=True)) == {
        Provider.Sector.PRIVATE,
        Provider.Sector.VOLUNTARY,
        Provider.Sector.LOCAL_AUTHORITY,
    }
    assert CHILDREN < Placement.objects.count() <= 4 * CHILDREN
    assert "children: 60 / 60" in seeded
    assert f"Placements: {Placement.objects.count():,} new" in seeded
    assert f"Inspections: {Inspection.objects.count():,} new" in seeded
    # The existing behaviour is still there, at the end.
    assert seeded.rstrip().splitlines()[-1].lstrip().startswith("admin ")
    assert "Demo sign-ins" in seeded


def test_estate_looks_like_the_ofsted_register(seeded):
    estate = list(Setting.objects.prefetch_related("inspections"))
    assert {s.provision_type for s in estate} >= set(PLACE_FOR)
    assert any(s.in_area() for s in estate)
    assert any(not s.in_area() for s in estate)
    for setting in estate:
        if setting.provision_type == ProvisionType.UNREGISTERED:
            assert setting.urn is None
            assert setting.regulator == Regulator.NONE
            assert setting.registration_status == RegistrationStatus.UNREGISTERED
            assert setting.current_rating == Rating.NOT_YET_INSPECTED
            assert not setting.inspections.all()
            continue
        pattern = r"SC0\d{5}" if setting.provision_type in FOSTERING else r"SC[1-9]\d{5}"
        assert re.fullmatch(pattern, setting.urn), setting.urn
        assert setting.registration_date is not None
        rows = sorted(setting.inspections.all(), key=lambda i: i.inspection_date)
        if setting.current_rating == Rating.NOT_YET_INSPECTED:
            assert not rows
            continue
        assert 1 <= len(rows) <= 3
        assert (rows[-1].overall_judgement, rows[-1].inspection_date) == (
            setting.current_rating,
            setting.current_rating_date,
        )
        assert rows[0].inspection_date > setting.registration_date
        for before, after in zip(rows, rows[1:], strict=False):
            assert after.previous_judgement == before.overall_judgement
        for row in rows:
            assert row.is_downgrade == Rating.is_downgrade(
                row.previous_judgement, row.overall_judgement
            )
            assert row.recorded_on <= timezone.localdate()
    assert Inspection.objects.filter(is_downgrade=True).exists()


def assert_codes_valid_for_each_collection_year():
    episodes = placements()
    assert episodes
    for p in episodes:
        values = {
            "RNE": p.rne,
            "LS": p.ls,
            "CIN": p.cin,
            "PLACE": p.place,
            "PLACE_PROVIDER": p.place_provider,
            "REC": p.rec,
            "REASON_PLACE_CHANGE": p.reason_place_change,
        }
        assert codes.invalid_codes(values, p.decom) == {}, (p.child.child_id, p.decom, values)
        assert p.rne and p.ls and p.cin and p.place and p.place_provider


def test_every_episode_has_codes_valid_for_its_collection_year(seeded):
    assert_codes_valid_for_each_collection_year()


def assert_codes_follow_the_setting():
    council = f"{settings.AUTHORITY_NAME} County Council"
    for p in placements():
        setting = p.setting
        assert p.place in PLACE_FOR[setting.provision_type](codes.collection_year(p.decom))
        assert p.urn == (setting.urn or "")
        assert p.permanent == (p.place in codes.PERMANENT_PLACE_CODES)
        provider = setting.provider
        expected = {
            Provider.Sector.PRIVATE: "PR4",
            Provider.Sector.VOLUNTARY: "PR5",
            Provider.Sector.LOCAL_AUTHORITY: "PR1" if provider.name == council else "PR2",
        }[provider.sector]
        assert p.place_provider == expected
        if setting.provision_type == ProvisionType.IN_HOUSE_FOSTERING:
            assert p.place_provider == "PR1"
        if setting.provision_type not in FOSTERING:
            assert p.pl_post == setting.postcode


def test_codes_follow_the_setting(seeded):
    assert_codes_follow_the_setting()


@pytest.mark.parametrize("provision_type", list(PLACE_FOR))
@pytest.mark.parametrize("day", [date(2024, 6, 1), date(2025, 3, 31), date(2025, 4, 1)])
def test_place_codes_either_side_of_1_april_2025(provision_type, day):
    rng = random.Random(1)
    year = codes.collection_year(day)
    for age in (0, 1, 16, 17):
        code = demo.place_code(rng, provision_type, day, age)
        assert code in PLACE_FOR[provision_type](year)
        assert codes.invalid_codes({"PLACE": code}, day) == {}
        again = demo.restated_place_code(code, provision_type, day)
        assert again in PLACE_FOR[provision_type](year)
    if provision_type == ProvisionType.UNREGISTERED:
        assert demo.restated_place_code("Z1", provision_type, date(2025, 4, 1)) == "Z11"


@EVERY_DEMO_DAY
def test_episodes_chain_without_overlap_and_one_open_episode_in_care(seeded):
    today = timezone.localdate()
    by_child = episodes_by_child()
    assert set(by_child) == set(Child.objects.all())
    in_care = 0
    for child, episodes in by_child.items():
        assert 1 <= len(episodes) <= 4
        assert episodes[0].rne == "S"
        assert child.date_of_birth <= episodes[0].decom < today
        for before, after in zip(episodes, episodes[1:], strict=False):
            assert after.rne in {"P", "B", "T", "U", "L"}
            assert before.decom < after.decom
            assert before.dec == after.decom  # ended the day the next began: no gap, no overlap
            assert before.rec == "X1"
            assert bool(before.reason_place_change) == (after.rne != "L")
            if after.rne in {"L", "T", "U"}:
                assert after.ls != before.ls
            else:
                assert after.ls == before.ls
            if after.rne in {"L", "P", "T"}:
                assert after.setting == before.setting
        open_episodes = [p for p in episodes if p.dec is None]
        last = episodes[-1]
        if open_episodes:
            in_care += 1
            assert open_episodes == [last]
        else:
            assert last.rec.startswith("E")
            assert last.decom <= last.dec < today
            assert last.reason_place_change == ""
    assert 0.7 * CHILDREN <= in_care < CHILDREN  # about 85% still looked after


def test_ages_within_eligibility_and_no_under_16_unregistered_or_supported(seeded):
    today = timezone.localdate()
    eligibility = {e.provision_type: e for e in ProvisionEligibility.objects.all()}
    assert {age_on(c.date_of_birth, today) for c in Child.objects.all()} <= set(range(18))
    for p in placements():
        age = age_on(p.child.date_of_birth, p.decom)
        assert eligibility[p.setting.provision_type].admits(age), (p.child.child_id, age)
        if p.setting.is_unregistered or (
            p.setting.provision_type == ProvisionType.SUPPORTED_ACCOMMODATION
        ):
            assert age >= 16


def assert_the_guard_allowed_every_episode():
    """Each episode passes rules.check_placement on its start date, given what was recorded."""
    eligibility = {e.provision_type: e for e in ProvisionEligibility.objects.all()}
    for p in placements():
        setting, limits = p.setting, eligibility.get(p.setting.provision_type)
        facts = rules.SettingFacts(
            name=setting.name,
            provision_type=setting.provision_type,
            provision_label=setting.get_provision_type_display(),
            unregistered=setting.is_unregistered,
            supported_accommodation=setting.provision_type == ProvisionType.SUPPORTED_ACCOMMODATION,
            rating=rating_on(setting, p.decom),
            rating_label="",
            referrals_suspended=setting.referrals_suspended
            and p.decom >= setting.current_rating_date,
            suspended_reason="",
            min_age=limits.min_age if limits else None,
            max_age=limits.max_age if limits else None,
        )
        refusals = {
            r.code
            for r in rules.check_placement(
                date_of_birth=p.child.date_of_birth, start=p.decom, setting=facts
            )
        }
        assert not refusals & rules.ABSOLUTE
        needs_director = rules.UNREGISTERED_NEEDS_DIRECTOR in refusals
        assert (p.director_authorised_by is not None) == needs_director
        if needs_director:
            assert p.director_authorised_by.role == Role.DIRECTOR
            assert p.director_authorised_at.date() < p.decom
        overridable = refusals & rules.OVERRIDABLE
        assert (p.guard_override_by is not None) == bool(overridable), (p, refusals)
        if overridable:
            assert overridable == {rules.BELOW_GOOD}
            assert p.guard_override_by.username == "ad"
            assert p.guard_override_reason.strip()
            assert p.guard_override_at.date() < p.decom


def test_the_guard_would_have_allowed_every_episode(seeded):
    assert_the_guard_allowed_every_episode()


def test_a_bigger_caseload_has_a_few_overrides_that_the_guard_needed():
    seed_demo(children=400)
    overridden = Placement.objects.exclude(guard_override_by=None)
    assert 0 < overridden.count() <= 0.03 * Placement.objects.count()
    assert Placement.objects.exclude(director_authorised_by=None).exists()
    # No setting has more children living there now than it has places.
    living = Counter(Placement.objects.filter(dec=None).values_list("setting_id", flat=True))
    for setting in Setting.objects.exclude(places=None):
        assert living[setting.pk] <= setting.places, setting
    assert any(living[s.pk] == s.places for s in Setting.objects.exclude(places=None))
    assert_the_guard_allowed_every_episode()
    assert_codes_valid_for_each_collection_year()


def test_episodes_either_side_of_the_2025_code_lists():
    """Seeded as of September 2025, histories straddle 1 April 2025: both lists apply."""
    with time_machine.travel(datetime(2025, 9, 1, 12, tzinfo=UTC), tick=False):
        seed_demo(children=300)
        years = {
            codes.collection_year(d) for d in Placement.objects.values_list("decom", flat=True)
        }
        assert {2024, 2025} <= years
        old_codes = set(
            Placement.objects.filter(decom__lt=date(2025, 4, 1)).values_list("place", flat=True)
        )
        assert "H5" in old_codes and not old_codes & {"Z11", "Z12", "Z13", "Z14"}
        assert "Z1" not in set(
            Placement.objects.filter(decom__gte=date(2025, 4, 1)).values_list("place", flat=True)
        )
        assert_codes_valid_for_each_collection_year()
        assert_codes_follow_the_setting()
        assert_the_guard_allowed_every_episode()


def test_children_are_allocated_and_look_real(seeded):
    today = timezone.localdate()
    workers = {f"sw.{side}{n}" for side in ("north", "south") for n in (1, 2, 3)}
    advisers = {"pa.leavers1", "pa.leavers2"}
    for child in Child.objects.select_related("social_worker", "iro", "team"):
        age = age_on(child.date_of_birth, today)
        if age >= 16:
            assert child.social_worker.username in advisers
            assert child.social_worker.role == Role.PERSONAL_ADVISER
        else:
            assert child.social_worker.username in workers
            assert child.social_worker.role == Role.SOCIAL_WORKER
        assert child.team == child.social_worker.team
        assert child.iro.username in {"iro1", "iro2", "iro3"}
        assert child.sex in codes.SEX
        assert child.ethnicity in codes.ETHNIC
        assert child.first_name and child.last_name
        if child.upn:
            assert age >= 4
            assert re.fullmatch(r"[A-Z]\d{12}", child.upn)
            digits = child.upn[1:]
            total = sum(int(d) * w for d, w in zip(digits, range(2, 14), strict=True))
            assert child.upn[0] == UPN_LETTERS[total % 23]
    ages = [age_on(c.date_of_birth, today) for c in Child.objects.all()]
    assert Child.objects.exclude(upn="").count() >= 0.5 * sum(a >= 4 for a in ages)
    assert Child.objects.filter(restricted=True).count() <= 3
    assert len(set(Child.objects.values_list("ethnicity", flat=True))) > 3
    assert Child.objects.filter(social_worker__role=Role.PERSONAL_ADVISER).exists()


def test_running_again_with_the_same_seed_adds_nothing_and_a_bigger_n_tops_up(seeded):
    before = snapshot()
    seed_demo()
    assert snapshot() == before
    out = seed_demo(children=CHILDREN + 10)
    assert "children: 10 / 10" in out
    assert Child.objects.count() == CHILDREN + 10
    assert Setting.objects.count() == 25  # an estate for 70 children is still the minimum
    after = snapshot()
    first = {f"D{n:06d}" for n in range(1, CHILDREN + 1)}
    assert [c for c in after["children"] if c[0] in first] == before["children"]
    assert [p for p in after["placements"] if p[0] in first] == before["placements"]


def test_running_again_weeks_later_finds_the_same_estate():
    with time_machine.travel(datetime(2026, 1, 10, 12, tzinfo=UTC), tick=False):
        seed_demo()
    before = snapshot()
    with time_machine.travel(datetime(2026, 3, 2, 12, tzinfo=UTC), tick=False):
        out = seed_demo()
    assert "Settings: 0 new" in out and "Providers: 0 new" in out
    assert snapshot() == before


def delete_visit_history():
    """seed_demo also gives the children visits, reviews and duties, which hold on to
    the children, placements and settings (PROTECT): they go first, with the concern
    workflow's escalation, request and meeting."""
    ScopingMeeting.objects.all().delete()
    ScopingRequest.objects.all().delete()
    IroEscalation.objects.all().delete()
    Duty.objects.all().delete()
    Visit.objects.all().delete()
    LacReview.objects.all().delete()
    ScheduleOverride.objects.all().delete()


@EVERY_DEMO_DAY
def test_the_same_seed_gives_the_same_records_and_another_seed_does_not(seeded):
    before = snapshot()
    delete_visit_history()
    Placement.objects.all().delete()
    Child.objects.all().delete()
    Inspection.objects.all().delete()
    Setting.objects.all().delete()
    Provider.objects.all().delete()
    seed_demo()
    assert snapshot() == before
    delete_visit_history()
    Placement.objects.all().delete()
    Child.objects.all().delete()
    seed_demo(seed=4)
    assert snapshot()["children"] != before["children"]


def test_every_record_has_a_history_row(seeded):
    for model in (Provider, Setting, Inspection, Child, Placement):
        created = model.history.filter(history_type="+", history_change_reason="Demo data")
        assert created.count() == model.objects.count() > 0, model
    child = Child.objects.get(child_id="D000001")
    assert child.history.get().first_name == child.first_name


def test_children_zero_adds_none():
    out = seed_demo(children=0)
    assert not Child.objects.exists()
    assert not Setting.objects.exists()
    assert not Provider.objects.exists()
    assert User.objects.filter(username="sw.north1").exists()
    assert "Demo sign-ins" in out


def test_children_zero_after_a_caseload_changes_nothing(seeded):
    before = snapshot()
    seed_demo(children=0)
    assert snapshot() == before


def test_a_negative_number_of_children_is_refused():
    with pytest.raises(CommandError, match="--children"):
        seed_demo(children=-1)
    assert not User.objects.exists()
