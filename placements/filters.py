import django_filters
from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from accounts.models import CASEWORKER_ROLES, Role, Team, User

from .models import Placement, ProvisionType, Rating, RegistrationStatus, Setting

AREA_CHOICES = [("in", "In area"), ("out", "Out of area")]


def _teams(request):
    return Team.objects.filter(kind__in=[Team.Kind.CHILDREN_IN_CARE, Team.Kind.CARE_LEAVERS])


def _workers(request):
    return User.objects.filter(role__in=CASEWORKER_ROLES, is_active=True).order_by(
        "first_name", "last_name"
    )


class _GovukFilterSet(django_filters.FilterSet):
    """Filters rendered with GOV.UK classes and labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "govuk-select" if hasattr(field, "choices") else "govuk-input"
            field.widget.attrs.setdefault("class", css)


class ChildFilter(_GovukFilterSet):
    q = django_filters.CharFilter(label="Name or child ID", method="search")
    team = django_filters.ModelChoiceFilter(queryset=_teams, empty_label="Any team")
    worker = django_filters.ModelChoiceFilter(
        label="Social worker or personal adviser",
        field_name="social_worker",
        queryset=_workers,
        empty_label="Anyone",
    )
    provision_type = django_filters.ChoiceFilter(
        label="Provision type",
        choices=ProvisionType.choices,
        method="current_setting",
        empty_label="Any type",
    )
    rating = django_filters.ChoiceFilter(
        label="Ofsted rating",
        choices=Rating.choices,
        method="current_setting",
        empty_label="Any rating",
    )
    area = django_filters.ChoiceFilter(
        label="Area",
        choices=AREA_CHOICES,
        method="current_setting",
        empty_label="In or out of area",
    )

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(child_id__iexact=word)
            )
        return queryset

    def current_setting(self, queryset, name, value):
        lookups = {
            "provision_type": {"setting__provision_type": value},
            "rating": {"setting__current_rating": value},
            "area": {"setting__local_authority__iexact": settings.AUTHORITY_NAME},
        }[name]
        current = Placement.objects.filter(child=OuterRef("pk"), dec__isnull=True, **lookups)
        if name == "area" and value == "out":
            inside = Exists(current)
            anywhere = Exists(
                Placement.objects.filter(
                    child=OuterRef("pk"), dec__isnull=True, setting__isnull=False
                )
            )
            return queryset.filter(anywhere & ~inside)
        return queryset.filter(Exists(current))


class PlacementFilter(_GovukFilterSet):
    team = django_filters.ModelChoiceFilter(
        field_name="child__team", queryset=_teams, empty_label="Any team"
    )
    worker = django_filters.ModelChoiceFilter(
        label="Social worker or personal adviser",
        field_name="child__social_worker",
        queryset=_workers,
        empty_label="Anyone",
    )
    provision_type = django_filters.ChoiceFilter(
        label="Provision type",
        field_name="setting__provision_type",
        choices=ProvisionType.choices,
        empty_label="Any type",
    )
    rating = django_filters.ChoiceFilter(
        label="Ofsted rating",
        field_name="setting__current_rating",
        choices=Rating.choices,
        empty_label="Any rating",
    )
    area = django_filters.ChoiceFilter(
        label="Area", choices=AREA_CHOICES, method="filter_area", empty_label="In or out of area"
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("current", "Current"), ("ended", "Ended")],
        method="filter_status",
        empty_label="Current or ended",
    )

    def filter_area(self, queryset, name, value):
        inside = Q(setting__local_authority__iexact=settings.AUTHORITY_NAME)
        return (
            queryset.filter(inside)
            if value == "in"
            else queryset.filter(setting__isnull=False).exclude(inside)
        )

    def filter_status(self, queryset, name, value):
        return queryset.filter(dec__isnull=value == "current")


class SettingFilter(_GovukFilterSet):
    q = django_filters.CharFilter(label="Name, URN or provider", method="search")
    provision_type = django_filters.ChoiceFilter(
        label="Provision type", choices=ProvisionType.choices, empty_label="Any type"
    )
    rating = django_filters.ChoiceFilter(
        label="Ofsted rating",
        field_name="current_rating",
        choices=Rating.choices,
        empty_label="Any rating",
    )
    area = django_filters.ChoiceFilter(
        label="Area", choices=AREA_CHOICES, method="filter_area", empty_label="In or out of area"
    )
    registration_status = django_filters.ChoiceFilter(
        label="Registration", choices=RegistrationStatus.choices, empty_label="Any registration"
    )
    referrals_suspended = django_filters.BooleanFilter(
        label="Referrals",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Setting
        fields = ["q", "provision_type", "rating", "area", "registration_status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value) | Q(urn__iexact=value) | Q(provider__name__icontains=value)
        )

    def filter_area(self, queryset, name, value):
        inside = Q(local_authority__iexact=settings.AUTHORITY_NAME)
        return queryset.filter(inside) if value == "in" else queryset.exclude(inside)


ROLE_SEES_FILTER_BY_WORKER = frozenset(
    {
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.ASSISTANT_DIRECTOR,
        Role.DIRECTOR,
        Role.COMMISSIONING_OFFICER,
        Role.LADO,
        Role.IRO,
    }
)
