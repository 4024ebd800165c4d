from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    IRO = "iro", "Independent reviewing officer"
    LADO = "lado", "LADO"
    COMMISSIONING_OFFICER = "commissioning_officer", "Commissioning officer"
    ASSISTANT_DIRECTOR = "assistant_director", "Assistant director"
    DIRECTOR = "director", "Director"
    ADMINISTRATOR = "administrator", "Administrator"

    @classmethod
    def parse(cls, text: str) -> "Role":
        """A role from what a person or a script types: value, label, any case, - or space."""
        wanted = text.strip().lower().replace("-", "_").replace(" ", "_")
        for role in cls:
            if wanted in (role.value, role.label.lower().replace(" ", "_")):
                return role
        raise ValueError(text)


# Roles grouped by what they do; views and navigation ask these, not role names.
CASEWORKER_ROLES = frozenset({Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER})
MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER})
SENIOR_ROLES = frozenset({Role.ASSISTANT_DIRECTOR, Role.DIRECTOR})


class Team(models.Model):
    class Kind(models.TextChoices):
        CHILDREN_IN_CARE = "children_in_care", "Children in care"
        CARE_LEAVERS = "care_leavers", "Care leavers"
        IRO_SERVICE = "iro_service", "IRO service"
        LADO_SERVICE = "lado_service", "LADO service"
        COMMISSIONING = "commissioning", "Commissioning"
        MANAGEMENT = "management", "Senior management"
        ADMINISTRATION = "administration", "Business support and administration"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().select_related("team", "line_manager")


class User(AbstractUser):
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.SOCIAL_WORKER)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    line_manager = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    objects = StaffManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        indexes = [models.Index(fields=["role"]), models.Index(fields=["team", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(line_manager=models.F("pk")),
                name="user_not_own_line_manager",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def is_caseworker(self) -> bool:
        return self.role in CASEWORKER_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR
