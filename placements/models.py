from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from . import codes


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years of age on a day (a 29 February birthday falls on 1 March in other years)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


class Rating(models.TextChoices):
    """Ofsted's (and CQC's) overall judgement, best first."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    NOT_YET_INSPECTED = "not_yet_inspected", "Not yet inspected"

    @classmethod
    def rank(cls, value: str) -> int | None:
        """Higher is better; None for not yet inspected (no judgement to compare)."""
        order = [cls.INADEQUATE, cls.REQUIRES_IMPROVEMENT, cls.GOOD, cls.OUTSTANDING]
        return order.index(value) if value in order else None

    @classmethod
    def is_downgrade(cls, before: str | None, after: str) -> bool:
        old, new = cls.rank(before) if before else None, cls.rank(after)
        return old is not None and new is not None and new < old

    @classmethod
    def below_good(cls, value: str | None) -> bool:
        return value in (cls.REQUIRES_IMPROVEMENT, cls.INADEQUATE)


class ProvisionType(models.TextChoices):
    IN_HOUSE_FOSTERING = "in_house_fostering", "Fostering (in-house)"
    IFA_FOSTERING = "ifa_fostering", "Fostering (independent fostering agency)"
    CHILDRENS_HOME = "childrens_home", "Children's home"
    RESIDENTIAL_SPECIAL_SCHOOL = "residential_special_school", "Residential special school"
    SECURE_CHILDRENS_HOME = "secure_childrens_home", "Secure children's home"
    SUPPORTED_ACCOMMODATION = "supported_accommodation", "Supported accommodation"
    SEMI_INDEPENDENT = "semi_independent", "Semi-independent accommodation"
    SHARED_LIVES = "shared_lives", "Shared lives"
    STAYING_PUT = "staying_put", "Staying put"
    SUPPORTED_LIVING = "supported_living", "Supported living"
    PARENT_AND_CHILD = "parent_and_child", "Parent and child (residential)"
    UNREGISTERED = "unregistered", "Unregistered"
    OTHER = "other", "Other"


# Types that visit rules treat as fostering (no purposeful visits: seed 000, timescales.md §2).
FOSTERING_TYPES = frozenset({ProvisionType.IN_HOUSE_FOSTERING, ProvisionType.IFA_FOSTERING})


class ConcernLevel(models.TextChoices):
    """Knowsley's categories of homes causing concern (seed 001)."""

    NONE = "none", "No concern"
    MINOR = "minor", "Minor concern"
    LEVEL_1 = "level_1", "Level 1"
    LEVEL_2 = "level_2", "Level 2"


class Regulator(models.TextChoices):
    OFSTED = "ofsted", "Ofsted"
    CQC = "cqc", "CQC"
    NONE = "none", "None"


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended by the regulator"
    CANCELLED = "cancelled", "Cancelled"
    RESIGNED = "resigned", "Resigned"
    UNREGISTERED = "unregistered", "Not registered"


class ProvisionEligibility(models.Model):
    """Ages a provision type takes (seed 000 "Eligibility"); an administrator can change them."""

    provision_type = models.CharField(max_length=40, choices=ProvisionType.choices, unique=True)
    min_age = models.PositiveSmallIntegerField(help_text="Youngest age in whole years")
    max_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Oldest age in whole years; blank for no upper limit"
    )
    source = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "provision eligibility"
        ordering = ["provision_type"]

    def __str__(self) -> str:
        upper = f"–{self.max_age}" if self.max_age is not None else "+"
        return f"{self.get_provision_type_display()}: {self.min_age}{upper}"

    def admits(self, age: int) -> bool:
        return age >= self.min_age and (self.max_age is None or age <= self.max_age)


class Provider(models.Model):
    """The organisation behind one or more settings."""

    class Sector(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        PRIVATE = "private", "Private"
        VOLUNTARY = "voluntary", "Voluntary"
        HEALTH_AUTHORITY = "health_authority", "Health authority"

    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    responsible_individual = models.CharField(max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Setting(models.Model):
    """A provision where a child lives, keyed by its Ofsted URN where it has one."""

    urn = models.CharField("URN", max_length=10, unique=True, null=True, blank=True)
    name = models.CharField(max_length=200)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="settings")
    provision_type = models.CharField(max_length=40, choices=ProvisionType.choices)
    regulator = models.CharField(max_length=10, choices=Regulator.choices, default=Regulator.OFSTED)
    registration_status = models.CharField(
        max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.ACTIVE
    )
    registration_date = models.DateField(null=True, blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    local_authority = models.CharField(max_length=100, blank=True)
    ofsted_region = models.CharField(max_length=100, blank=True)
    places = models.PositiveSmallIntegerField(null=True, blank=True)
    web_link = models.URLField(blank=True)
    # Kept by the inspection service from the latest judgement, so lists and the
    # placement guard read it without a subquery.
    current_rating = models.CharField(
        max_length=24, choices=Rating.choices, default=Rating.NOT_YET_INSPECTED
    )
    current_rating_date = models.DateField(null=True, blank=True)
    # Seed 002: off the approved list / suspended from new referrals.
    referrals_suspended = models.BooleanField(default=False)
    referrals_suspended_reason = models.CharField(max_length=300, blank=True)
    # Kept by escalations.services from the latest ConcernLevelChange.
    concern_level = models.CharField(
        max_length=10, choices=ConcernLevel.choices, default=ConcernLevel.NONE
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["provision_type"]),
            models.Index(fields=["current_rating"]),
            models.Index(fields=["local_authority"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})" if self.urn else self.name

    @property
    def is_unregistered(self) -> bool:
        return (
            self.provision_type == ProvisionType.UNREGISTERED
            or self.registration_status == RegistrationStatus.UNREGISTERED
        )

    def in_area(self) -> bool:
        return self.local_authority.strip().lower() == settings.AUTHORITY_NAME.strip().lower()


class Inspection(models.Model):
    """One Ofsted (or CQC) judgement of a setting."""

    class Source(models.TextChoices):
        BROWSER = "browser", "Recorded in the browser"
        IMPORT = "import", "Ofsted data file"

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="inspections")
    inspection_date = models.DateField()
    publication_date = models.DateField(null=True, blank=True)
    event_type = models.CharField(max_length=100, default="Full inspection")
    overall_judgement = models.CharField(max_length=24, choices=Rating.choices)
    previous_judgement = models.CharField(max_length=24, choices=Rating.choices, blank=True)
    is_downgrade = models.BooleanField(default=False)
    recorded_on = models.DateField(help_text="The day commissioning received the judgement")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.BROWSER)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-inspection_date", "-pk"]
        constraints = [
            # The same judgement recorded twice is one inspection.
            models.UniqueConstraint(
                fields=["setting", "inspection_date", "event_type"], name="inspection_once"
            )
        ]
        indexes = [models.Index(fields=["setting", "-inspection_date"])]

    def __str__(self) -> str:
        return f"{self.setting}: {self.get_overall_judgement_display()} ({self.inspection_date})"


class Child(models.Model):
    child_id = models.CharField("child ID", max_length=10, unique=True, help_text="SSDA903 CHILD")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=list(codes.SEX.items()))
    ethnicity = models.CharField(max_length=4, choices=list(codes.ETHNIC.items()))
    upn = models.CharField("UPN", max_length=13, blank=True)
    mother = models.CharField(
        max_length=1, blank=True, help_text="SSDA903 MOTHER: 1 if the child is a mother"
    )
    mother_child_dob = models.DateField(null=True, blank=True, help_text="SSDA903 MC_DOB")
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_children",
        help_text="Allocated social worker or personal adviser",
    )
    # Seed 003 (line 969: a personal adviser "appointed no later than the young person's
    # 16th birthday"; 10.18, line 947; line 1425: "The Personal Advisor completes the
    # Pathway Plan post 18"): the adviser works alongside the social worker. Both see the
    # child and the duties that are theirs (placements.selectors, duties.worktray).
    personal_adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advised_children",
        limit_choices_to={"role": "personal_adviser"},
        help_text="The personal adviser, alongside the social worker (from 16)",
    )
    iro = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_children",
        verbose_name="IRO",
    )
    restricted = models.BooleanField(
        default=False,
        help_text="Visible only to the allocated staff and their line managers",
    )
    # Issue 17: a child currently missing or away from placement is flagged wherever they
    # are shown. The register imports no workflow, so the flag is kept here, by
    # missing.services in the transaction that opens or closes the episode: the start of
    # the open episode (midnight, Europe/London, when no time was recorded), else blank.
    missing_since = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Start of the open missing or away episode; blank when none is open",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "children"
        ordering = ["last_name", "first_name", "child_id"]
        indexes = [
            models.Index(fields=["team"]),
            models.Index(fields=["social_worker"]),
            models.Index(fields=["personal_adviser"]),
            models.Index(fields=["iro"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def name(self) -> str:
        return str(self)

    def age_on(self, day: date) -> int:
        return age_on(self.date_of_birth, day)


class Placement(models.Model):
    """An SSDA903 episode, plus what the visit rules need that the 903 lacks."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    setting = models.ForeignKey(
        Setting, on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    decom = models.DateField("start date", help_text="SSDA903 DECOM")
    # Seed 000 (unregistered placements): "within 24 hours of placement" counts from the
    # time the placement started. The 903 carries dates only: blank, the visit rules take
    # the end of the start day (visits.rules.facts.PlacementFacts.start_instant).
    start_time = models.TimeField(
        "start time", null=True, blank=True, help_text="Europe/London; blank if not recorded"
    )
    rne = models.CharField("reason for new episode", max_length=1)
    ls = models.CharField("legal status", max_length=2)
    cin = models.CharField("category of need", max_length=2)
    place = models.CharField("placement type", max_length=3)
    place_provider = models.CharField("placement provider", max_length=3, blank=True)
    dec = models.DateField("end date", null=True, blank=True, help_text="SSDA903 DEC")
    rec = models.CharField("reason episode ceased", max_length=3, blank=True)
    reason_place_change = models.CharField("reason for placement change", max_length=6, blank=True)
    home_post = models.CharField("home postcode", max_length=8, blank=True)
    pl_post = models.CharField("placement postcode", max_length=8, blank=True)
    urn = models.CharField("URN", max_length=10, blank=True, help_text="As returned in the 903")
    # What the 903 lacks and the visit rules need (timescales.md §1, §3).
    permanent = models.BooleanField(
        "agreed as permanent", default=False, help_text="Intended to last until the child is 18"
    )
    connected_person_temporary = models.BooleanField(
        "connected person, temporary approval (reg. 24)", default=False
    )
    placed_with_parent_pre_assessment = models.BooleanField(
        "placed with parent before assessment (reg. 19)", default=False
    )
    director_authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    director_authorised_at = models.DateTimeField(null=True, blank=True)
    guard_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guard_override_reason = models.TextField(blank=True)
    guard_override_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "decom", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["child", "decom"], name="one_episode_per_start"),
            models.CheckConstraint(
                condition=Q(dec__isnull=True) | Q(dec__gte=models.F("decom")),
                name="episode_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["setting", "dec"]),
            models.Index(fields=["dec"]),
            models.Index(fields=["child", "-decom"]),
        ]

    def __str__(self) -> str:
        return f"{self.child.child_id} from {self.decom:%d/%m/%Y}"

    def is_current(self, day: date) -> bool:
        return self.decom <= day and (self.dec is None or self.dec > day)

    @property
    def is_unregistered(self) -> bool:
        """In an unregistered setting; without a setting, coded as one of the "other
        placements" the 903 uses for unregistered provision since 2023."""
        if self.setting is not None:
            return self.setting.is_unregistered
        return self.place in codes.UNREGISTERED_PLACE_CODES

    def get_ls_display(self) -> str:
        return codes.LS.get(self.ls, self.ls)

    def get_place_display(self) -> str:
        return codes.place_codes(codes.collection_year(self.decom)).get(self.place, self.place)

    def get_rec_display(self) -> str:
        return codes.REC.get(self.rec, self.rec)


class PlacementConcern(models.Model):
    """Concerns about an unregistered placement, recorded by the IRO, the social worker
    or the team manager (seed 000 "Visiting timescales for unregistered placements": the
    IRO visits "if concerns - within 2 weeks"; the IRO's visit duty then falls due 14
    days after the placement started)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="concerns")
    note = models.TextField("what the concerns are")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["placement", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Concerns about {self.placement}, {self.recorded_at:%d/%m/%Y}"


class AccessLog(models.Model):
    """Who looked at what: views of restricted records, exports."""

    class Action(models.TextChoices):
        VIEW_RESTRICTED = "view_restricted", "Viewed a restricted record"
        EXPORT = "export", "Exported data"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
        SIGN_OUT = "sign_out", "Signed out"

    # Empty only for a failed sign-in with a username no account has (the name tried is
    # in ``detail``); a failed sign-in of an existing account names that account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    child = models.ForeignKey(Child, on_delete=models.SET_NULL, null=True, blank=True)
    path = models.CharField(max_length=500)
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["action", "-at"]), models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        who = self.user or self.detail or "Someone"
        return f"{who}: {self.get_action_display().lower()} at {self.at:%d/%m/%Y %H:%M}"


class RegulatoryNotice(models.Model):
    """An Ofsted notice for a children's home (TS §1): every child placed there is visited
    within 1 week. Recorded by commissioning through placements.services.notice_record
    (visits.notices opens the visits)."""

    class Kind(models.TextChoices):
        CANCELLATION = "cancellation", "Notice of cancellation of registration"
        PROCEEDINGS = "proceedings", "Notice of proceedings"
        BARRED_ADMISSIONS = "barred_admissions", "Notice barring admissions"

    setting = models.ForeignKey(
        Setting, on_delete=models.CASCADE, related_name="regulatory_notices"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    notice_date = models.DateField(help_text="The date of the notice")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-notice_date", "-pk"]
        constraints = [
            # The same notice recorded twice is one notice.
            models.UniqueConstraint(
                fields=["setting", "kind", "notice_date"], name="regulatory_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.setting}: {self.get_kind_display()} ({self.notice_date:%d/%m/%Y})"
