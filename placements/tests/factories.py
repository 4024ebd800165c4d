from datetime import date

import factory

from accounts.tests.factories import TeamFactory, UserFactory
from placements.models import (
    Child,
    Inspection,
    Placement,
    Provider,
    ProvisionType,
    Rating,
    RegistrationStatus,
    Regulator,
    Setting,
)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Provider {n} Ltd")
    sector = Provider.Sector.PRIVATE


class SettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Setting

    urn = factory.Sequence(lambda n: f"SC{100000 + n}")
    name = factory.Sequence(lambda n: f"Oak House {n}")
    provider = factory.SubFactory(ProviderFactory)
    provision_type = ProvisionType.CHILDRENS_HOME
    regulator = Regulator.OFSTED
    registration_status = RegistrationStatus.ACTIVE
    town = "Maidstone"
    postcode = "ME14 1XX"
    local_authority = "Kent"
    places = 4
    current_rating = Rating.GOOD
    current_rating_date = date(2025, 6, 1)


class UnregisteredSettingFactory(SettingFactory):
    urn = None
    name = factory.Sequence(lambda n: f"Flat {n}, Station Road")
    provision_type = ProvisionType.UNREGISTERED
    regulator = Regulator.NONE
    registration_status = RegistrationStatus.UNREGISTERED
    current_rating = Rating.NOT_YET_INSPECTED
    current_rating_date = None


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    setting = factory.SubFactory(SettingFactory)
    inspection_date = date(2025, 6, 1)
    overall_judgement = Rating.GOOD
    recorded_on = date(2025, 6, 20)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    child_id = factory.Sequence(lambda n: f"C{100000 + n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(2012, 5, 17)
    sex = "1"
    ethnicity = "WBRI"
    team = factory.SubFactory(TeamFactory)
    social_worker = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..team"))
    iro = None


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    child = factory.SubFactory(ChildFactory)
    setting = factory.SubFactory(SettingFactory)
    decom = date(2026, 1, 5)
    rne = "S"
    ls = "C2"
    cin = "N1"
    place = "K2"
    place_provider = "PR4"
    urn = factory.LazyAttribute(lambda p: (p.setting.urn or "") if p.setting else "")
