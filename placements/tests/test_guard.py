from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from accounts.tests.factories import UserFactory
from placements import rules, services
from placements.models import ProvisionEligibility, ProvisionType, Rating
from placements.tests.factories import (
    ChildFactory,
    PlacementFactory,
    SettingFactory,
    UnregisteredSettingFactory,
)

START = date(2026, 11, 2)
EPISODE = services.EpisodeCodes(rne="S", ls="C2", cin="N1", place="K2", place_provider="PR4")


def facts(**overrides):
    base = {
        "name": "Oak House",
        "provision_type": "childrens_home",
        "provision_label": "Children's home",
        "unregistered": False,
        "supported_accommodation": False,
        "rating": Rating.GOOD,
        "rating_label": "Good",
        "referrals_suspended": False,
        "suspended_reason": "",
        "min_age": 5,
        "max_age": 17,
    }
    return rules.SettingFacts(**{**base, **overrides})


@pytest.mark.parametrize(
    "dob, setting, codes",
    [
        (date(2012, 1, 1), facts(), []),
        (date(2012, 1, 1), facts(rating=Rating.OUTSTANDING), []),
        # Seed 002: "only ... providers that have a rating of Good or above".
        (date(2012, 1, 1), facts(rating=Rating.NOT_YET_INSPECTED), [rules.NOT_YET_INSPECTED]),
        (
            date(2010, 11, 2),
            facts(rating=Rating.NOT_YET_INSPECTED, unregistered=True, min_age=16, max_age=None),
            [rules.UNREGISTERED_NEEDS_DIRECTOR],  # never inspected: the Director decides
        ),
        (date(2012, 1, 1), facts(rating=Rating.REQUIRES_IMPROVEMENT), [rules.BELOW_GOOD]),
        (date(2012, 1, 1), facts(rating=Rating.INADEQUATE), [rules.BELOW_GOOD]),
        (date(2012, 1, 1), facts(referrals_suspended=True), [rules.SUSPENDED]),
        # Age edges: children's homes take 5 to 17.
        (date(2021, 11, 3), facts(), [rules.OUTSIDE_AGE]),  # 4, turns 5 tomorrow
        (date(2021, 11, 2), facts(), []),  # 5 today
        (date(2008, 11, 3), facts(), []),  # 17, 18 tomorrow
        (date(2008, 11, 2), facts(), [rules.OUTSIDE_AGE]),  # 18 today
        # Unregistered: under 16 never; 16 or over needs the Director.
        (
            date(2010, 11, 3),
            facts(unregistered=True, min_age=16, max_age=None),
            [rules.UNDER_16_UNREGISTERED],
        ),
        (
            date(2010, 11, 2),
            facts(unregistered=True, min_age=16, max_age=None),
            [rules.UNREGISTERED_NEEDS_DIRECTOR],
        ),
        (
            date(2010, 11, 3),
            facts(supported_accommodation=True, min_age=16, max_age=None),
            [rules.UNDER_16_SUPPORTED],
        ),
        (date(2010, 11, 2), facts(supported_accommodation=True, min_age=16, max_age=None), []),
        (date(2012, 1, 1), None, []),
    ],
)
def test_guard_rules(dob, setting, codes):
    assert [
        r.code for r in rules.check_placement(date_of_birth=dob, start=START, setting=setting)
    ] == codes


def test_leap_day_birthday_turns_16_on_1_march():
    setting = facts(unregistered=True, min_age=16, max_age=None)
    dob = date(2012, 2, 29)
    on_28th = rules.check_placement(date_of_birth=dob, start=date(2028, 2, 28), setting=setting)
    on_29th = rules.check_placement(date_of_birth=dob, start=date(2028, 2, 29), setting=setting)
    assert [r.code for r in on_28th] == [rules.UNDER_16_UNREGISTERED]
    assert [r.code for r in on_29th] == [rules.UNREGISTERED_NEEDS_DIRECTOR]


def test_refusal_messages_say_why_in_words():
    [refusal] = rules.check_placement(
        date_of_birth=date(2012, 1, 1),
        start=START,
        setting=facts(rating=Rating.INADEQUATE, rating_label="Inadequate"),
    )
    assert refusal.message == (
        "Oak House is rated Inadequate by the regulator. Placements are made only with "
        "settings rated Good or Outstanding."
    )


@pytest.fixture
def child(social_worker):
    return ChildFactory(
        team=social_worker.team, social_worker=social_worker, date_of_birth=date(2010, 6, 1)
    )


@pytest.mark.django_db
def test_service_refuses_a_below_good_setting_for_a_social_worker(child, social_worker):
    setting = SettingFactory(current_rating=Rating.INADEQUATE)
    with pytest.raises(services.PlacementRefused) as refused:
        services.placement_start(
            child=child,
            setting=setting,
            start=START,
            episode=EPISODE,
            actor=social_worker,
            override_reason="I insist",
        )
    assert [r.code for r in refused.value.refusals] == [rules.BELOW_GOOD]
    assert not child.placements.exists()


@pytest.mark.django_db
def test_assistant_director_overrides_with_a_reason(child, assistant_director):
    setting = SettingFactory(current_rating=Rating.REQUIRES_IMPROVEMENT)
    with pytest.raises(services.PlacementRefused):
        services.placement_start(
            child=child,
            setting=setting,
            start=START,
            episode=EPISODE,
            actor=assistant_director,
            override_reason="   ",
        )
    placement = services.placement_start(
        child=child,
        setting=setting,
        start=START,
        episode=EPISODE,
        actor=assistant_director,
        override_reason="Sibling placed there; no Good home with two places",
    )
    assert placement.guard_override_by == assistant_director
    assert placement.guard_override_reason.startswith("Sibling placed there")
    assert placement.history.first().history_user == assistant_director


@pytest.mark.django_db
def test_unregistered_needs_the_director_not_the_assistant_director(child, assistant_director):
    director = UserFactory(role=Role.DIRECTOR)
    setting = UnregisteredSettingFactory()
    on_16th_birthday = date(2026, 6, 1)
    with pytest.raises(services.PlacementRefused) as refused:
        services.placement_start(
            child=child,
            setting=setting,
            start=on_16th_birthday,
            episode=EPISODE.__class__(rne="S", ls="V2", cin="N1", place="Z11"),
            actor=assistant_director,
            override_reason="Emergency",
            director_authorisation=True,
        )
    assert [r.code for r in refused.value.refusals] == [rules.UNREGISTERED_NEEDS_DIRECTOR]
    placement = services.placement_start(
        child=child,
        setting=setting,
        start=on_16th_birthday,
        episode=services.EpisodeCodes(rne="S", ls="V2", cin="N1", place="Z11"),
        actor=director,
        director_authorisation=True,
    )
    assert placement.director_authorised_by == director


@pytest.mark.django_db
def test_no_one_can_place_an_under_16_in_unregistered(child):
    director = UserFactory(role=Role.DIRECTOR)
    with pytest.raises(services.PlacementRefused) as refused:
        services.placement_start(
            child=child,
            setting=UnregisteredSettingFactory(),
            start=date(2026, 5, 31),
            episode=services.EpisodeCodes(rne="S", ls="V2", cin="N1", place="Z11"),
            actor=director,
            director_authorisation=True,
            override_reason="Emergency",
        )
    assert [r.code for r in refused.value.refusals] == [rules.UNDER_16_UNREGISTERED]


@pytest.mark.django_db
def test_eligibility_is_data_an_administrator_changes(child, social_worker):
    setting = SettingFactory(provision_type=ProvisionType.SECURE_CHILDRENS_HOME)
    ProvisionEligibility.objects.filter(provision_type="secure_childrens_home").update(max_age=15)
    with pytest.raises(services.PlacementRefused) as refused:
        services.placement_start(
            child=child,
            setting=setting,
            start=START,
            episode=services.EpisodeCodes(rne="S", ls="C2", cin="N1", place="K1"),
            actor=social_worker,
        )
    assert "takes children aged 10 to 15" in refused.value.refusals[0].message


@pytest.mark.django_db
def test_a_new_placement_ends_the_open_one(child, social_worker):
    first = PlacementFactory(child=child, decom=date(2026, 1, 5))
    with pytest.raises(ValidationError) as invalid:
        services.placement_start(
            child=child,
            setting=SettingFactory(),
            start=START,
            episode=services.EpisodeCodes("P", "C2", "N1", "K2", "PR4"),
            actor=social_worker,
        )
    assert "reason_place_change" in invalid.value.message_dict
    second = services.placement_start(
        child=child,
        setting=SettingFactory(),
        start=START,
        episode=services.EpisodeCodes("P", "C2", "N1", "K2", "PR4"),
        reason_place_change="CARPL",
        actor=social_worker,
    )
    first.refresh_from_db()
    assert (first.dec, first.rec, first.reason_place_change) == (START, "X1", "CARPL")
    assert second.dec is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start, place, ok",
    [
        (date(2025, 3, 31), "Z1", True),
        (date(2025, 4, 1), "Z1", False),
        (date(2025, 4, 1), "Z11", True),
        (date(2025, 3, 31), "Z11", False),
    ],
)
def test_codes_are_checked_for_the_collection_year(child, social_worker, start, place, ok):
    episode = services.EpisodeCodes(rne="S", ls="C2", cin="N1", place=place)
    if ok:
        services.placement_start(
            child=child, setting=None, start=start, episode=episode, actor=social_worker
        )
    else:
        with pytest.raises(ValidationError) as invalid:
            services.placement_start(
                child=child, setting=None, start=start, episode=episode, actor=social_worker
            )
        assert "collection year" in invalid.value.message_dict["place"][0]


@pytest.mark.django_db
def test_not_yet_inspected_is_refused_for_a_social_worker_and_a_team_manager(
    child, social_worker, team_manager
):
    setting = SettingFactory(current_rating=Rating.NOT_YET_INSPECTED, current_rating_date=None)
    for actor in (social_worker, team_manager):
        with pytest.raises(services.PlacementRefused) as refused:
            services.placement_start(
                child=child,
                setting=setting,
                start=START,
                episode=EPISODE,
                actor=actor,
                override_reason="Only home with a place tonight",
            )
        assert [r.code for r in refused.value.refusals] == [rules.NOT_YET_INSPECTED]
        assert "not yet been inspected" in refused.value.refusals[0].message
    assert not child.placements.exists()


@pytest.mark.django_db
def test_a_service_manager_authorises_a_not_yet_inspected_setting_with_a_reason(
    child, service_manager
):
    setting = SettingFactory(current_rating=Rating.NOT_YET_INSPECTED, current_rating_date=None)
    with pytest.raises(services.PlacementRefused):
        services.placement_start(
            child=child,
            setting=setting,
            start=START,
            episode=EPISODE,
            actor=service_manager,
            override_reason="  ",
        )
    placement = services.placement_start(
        child=child,
        setting=setting,
        start=START,
        episode=EPISODE,
        actor=service_manager,
        override_reason="New home, registered last month; visited it myself",
    )
    assert placement.guard_override_by == service_manager
    assert placement.guard_override_reason == "New home, registered last month; visited it myself"
    assert placement.guard_override_at is not None
    assert placement.history.first().history_user == service_manager


@pytest.mark.django_db
def test_a_service_manager_cannot_override_below_good(child, service_manager):
    for rating in (Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE):
        with pytest.raises(services.PlacementRefused) as refused:
            services.placement_start(
                child=child,
                setting=SettingFactory(current_rating=rating),
                start=START,
                episode=EPISODE,
                actor=service_manager,
                override_reason="I insist",
            )
        assert [r.code for r in refused.value.refusals] == [rules.BELOW_GOOD]


@pytest.mark.django_db
def test_a_service_manager_lifts_only_the_not_yet_inspected_refusal(child, service_manager):
    # Not yet inspected and outside the ages the setting takes: the age is not theirs.
    setting = SettingFactory(
        current_rating=Rating.NOT_YET_INSPECTED,
        provision_type=ProvisionType.SECURE_CHILDRENS_HOME,
    )
    ProvisionEligibility.objects.filter(provision_type="secure_childrens_home").update(max_age=15)
    with pytest.raises(services.PlacementRefused) as refused:
        services.placement_start(
            child=child,
            setting=setting,
            start=START,
            episode=services.EpisodeCodes(rne="S", ls="C2", cin="N1", place="K1"),
            actor=service_manager,
            override_reason="New home",
        )
    assert [r.code for r in refused.value.refusals] == [rules.OUTSIDE_AGE]


@pytest.mark.django_db
def test_senior_managers_also_authorise_a_not_yet_inspected_setting(child, assistant_director):
    placement = services.placement_start(
        child=child,
        setting=SettingFactory(current_rating=Rating.NOT_YET_INSPECTED),
        start=START,
        episode=EPISODE,
        actor=assistant_director,
        override_reason="Emergency",
    )
    assert placement.guard_override_by == assistant_director
