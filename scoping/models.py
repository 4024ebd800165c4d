from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class RiskAssessment(models.Model):
    """The risk assessment of seed 000 for one child at a setting causing concern."""

    class Trigger(models.TextChoices):
        INADEQUATE = "inadequate", "Ofsted judgement of Inadequate"
        CONCERN = "concern", "Concern about the provision"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "To complete"
        WITH_TEAM_MANAGER = "with_team_manager", "With the team manager"
        WITH_SERVICE_MANAGER = "with_service_manager", "With the service manager"
        RETURNED = "returned", "Returned with comments"
        SIGNED_OFF = "signed_off", "Signed off"

    child = models.ForeignKey(
        "placements.Child", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    setting = models.ForeignKey(
        "placements.Setting", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    inspection = models.ForeignKey(
        "placements.Inspection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    trigger = models.CharField(max_length=12, choices=Trigger.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risk_assessments",
        help_text="The lead professional",
    )
    opened_on = models.DateField()
    due = models.DateField()
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.OPEN)

    # Placement information (seed 000), prefilled from the placement and editable.
    placed_with = models.CharField(
        "placed with", max_length=300, blank=True, help_text="The setting or carers"
    )
    carers_and_agency = models.CharField(
        "carers and agency", max_length=300, blank=True, help_text="The provider"
    )
    placement_type = models.CharField("placement type", max_length=300, blank=True)
    placement_start = models.DateField("placement start", null=True, blank=True)
    placement_end = models.DateField("placement end", null=True, blank=True)

    # Assessment (seed 000): the five narrative sections, with the form's prompts.
    context_of_risk = models.TextField(
        "context of the reported risk of concern",
        blank=True,
        help_text="Date and the agency or individual who provided concerning information. "
        "Relevant information contributing to the risk assessment. Individual risks "
        "identified for this child or young person. Known indicators of a pattern of "
        "cumulative harm, for example seclusion practices and physical interventions.",
    )
    risk_analysis = models.TextField(
        "risk analysis",
        blank=True,
        help_text="Describe risks in a way that shows what they mean for the child or young "
        "person and their vulnerability. Contextualised safeguarding risks for any other "
        "children or young people within the setting. Frequency of harm, knowledge or risk: "
        "the number of incidents over time, any prior unreported incidents and evidence in "
        "logbooks and incident reports. Explanation of harm and risks from the provider, for "
        "example perceptions, expectations and setting culture. Classify the harm and risks: "
        "what are they and what evidence do you have? Predict the likelihood of harm, for "
        "example the impact on the child or young person's development and wellbeing.",
    )
    protective_factors = models.TextField(
        "protective and mitigating factors",
        blank=True,
        help_text="Factors which provide immediate safeguarding but may not reduce the overall "
        "risk. Factors which reduce the overall risk of harm and so influence the decision "
        "about intervention. If referring to interventions in place, confirm they have been "
        "verified and assessed as mitigating or reducing the risks, for example daily "
        "reports, waking night staff, regular review of safeguarding logs and care planning. "
        "Have additional safeguards been put in place which are reducing the risks? If so, "
        "detail them. Identify strengths and resources.",
    )
    voice_of_child = models.TextField(
        "voice of the child or young person and professional observations",
        blank=True,
        help_text="The lived experience of the child or young person in the context of the "
        "reported risk, such as use of physical interventions. Analysis of their views, how "
        "and when they were obtained. Their understanding of the risk reported. Observations, "
        "for example physical appearance and behaviours. Their network and advocacy, where "
        "appropriate. Strength and resilience, for example coping mechanisms.",
    )
    analysis_and_plan = models.TextField(
        "analysis",
        blank=True,
        help_text="Does anything need to change to reduce the risk or harm? How does it feel "
        "for the child or young person to live in this environment? What do they want to "
        "happen? Probability of harm or impact. Estimated level of risk, for example do they "
        "live here full-time or is it respite care only? Appropriate interventions. Are the "
        "protective factors reducing the risks? What are you doing to make this situation "
        "safer? What is your plan? What will tell you the child or young person is safe?",
    )
    updated_at = models.DateTimeField(auto_now=True, null=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            # A judgement recorded twice opens one risk assessment per child, not two.
            models.UniqueConstraint(
                fields=["child", "inspection"],
                condition=models.Q(inspection__isnull=False),
                name="one_risk_assessment_per_child_per_judgement",
            )
        ]

    def __str__(self) -> str:
        return f"Risk assessment for {self.child.child_id} at {self.setting}"


class RiskAssessmentSignOff(models.Model):
    """One step of the sign-off table: who signed, or returned it with comments, and when."""

    class Role(models.TextChoices):
        LEAD_PROFESSIONAL = "lead_professional", "Lead professional"
        TEAM_MANAGER = "team_manager", "Team manager"
        SERVICE_MANAGER = "service_manager", "Service manager"

    class Decision(models.TextChoices):
        SIGNED = "signed", "Signed"
        RETURNED = "returned", "Returned with comments"

    risk_assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="sign_offs"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comments = models.TextField(blank=True)
    at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="returned") | ~models.Q(comments=""),
                name="a_return_has_comments",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.get_decision_display().lower()} {self.at:%d/%m/%Y}"


class ScopingRequest(models.Model):
    """A request for a scoping meeting about a setting, by one of the three routes of seed
    000 "Risk Assessment and Scoping Meeting". Route 2 needs the assistant director's
    agreement; routes 1 (the LADO service) and 3 (the assistant director) need none."""

    class Route(models.TextChoices):
        CONCERNS = "concerns", "Route 1: Inadequate judgement or a pattern of concern"
        PROFESSIONAL = "professional", "Route 2: requested by a professional"
        CORPORATE_PARENTING = (
            "corporate_parenting",
            "Route 3: raised by the Assistant Director for Corporate Parenting",
        )

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting the assistant director"
        MORE_INFORMATION = "more_information", "More information asked for"
        REFUSED = "refused", "Refused"
        APPROVED = "approved", "Approved: for the LADO service to convene"
        CONVENED = "convened", "Meeting convened"

    setting = models.ForeignKey(
        "placements.Setting", on_delete=models.PROTECT, related_name="scoping_requests"
    )
    route = models.CharField(max_length=20, choices=Route.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scoping_requests"
    )
    requested_at = models.DateTimeField()
    concerns = models.TextField(
        "the concerns", help_text="The provision of care and safeguarding concerns"
    )
    what_was_tried = models.TextField(
        "what has been tried",
        blank=True,
        help_text="How the concerns were raised with the provider, and why direct resolution "
        "is exhausted",
    )
    health_concerns = models.BooleanField(
        "concerns about health care",
        default=False,
        help_text="Health professionals are then invited to the meeting",
    )
    children = models.ManyToManyField(
        "placements.Child", blank=True, related_name="+", help_text="The children concerned"
    )
    escalation = models.ForeignKey(
        "escalations.IroEscalation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scoping_requests",
    )
    inspection = models.ForeignKey(
        "placements.Inspection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "route"])]

    def __str__(self) -> str:
        return f"Scoping request {self.pk} about {self.setting}"


class ScopingRequestEvent(models.Model):
    """The request's trail as its requester and the assistant director see it."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        RESUBMITTED = "resubmitted", "Resubmitted"
        MORE_INFORMATION = "more_information", "More information asked for"
        REFUSED = "refused", "Refused"
        APPROVED = "approved", "Approved"

    request = models.ForeignKey(ScopingRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y}"


class ScopingMeeting(models.Model):
    """A Risk Management Scoping Meeting (seed 000 template), convened and chaired by the
    LADO service. Children are named only as Child 1, Child 2… with initials."""

    class Status(models.TextChoices):
        CONVENED = "convened", "Convened"
        FINALISED = "finalised", "Minutes finalised"

    class InformProvider(models.TextChoices):
        UNDECIDED = "", "Not yet decided"
        YES = "yes", "Yes"
        NO = "no", "No"

    class Provision(models.TextChoices):
        UNDECIDED = "", "Not yet decided"
        CONTINUE = "continue", "The provision can continue to be used"
        CONTINUE_WITH_CONDITIONS = "conditions", "It can continue to be used, with conditions"
        NO_LONGER = "no_longer", "The provision can no longer be used"

    setting = models.ForeignKey(
        "placements.Setting", on_delete=models.PROTECT, related_name="scoping_meetings"
    )
    request = models.ForeignKey(
        ScopingRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review",
        help_text="The meeting this one reviews",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CONVENED)
    date = models.DateField()
    time = models.TimeField()
    location = models.CharField(max_length=200)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(
        "why the meeting is held",
        blank=True,
        help_text="A summary of the worries about this provision, for the introduction",
    )
    discussions = models.TextField(blank=True)
    further_information = models.TextField(
        "further information required, and who gathers it", blank=True
    )
    interventions = models.TextField(
        "interventions offered to the provision",
        blank=True,
        help_text="Short, medium and long term",
    )
    # Decisions.
    provision_decision = models.CharField(
        "can the provision still be used",
        max_length=12,
        choices=Provision.choices,
        blank=True,
        default=Provision.UNDECIDED,
    )
    conditions = models.TextField("conditions of continued use", blank=True)
    immediate_action = models.TextField("immediate protective action", blank=True)
    regulator_contingency = models.TextField(
        "contingency if the regulator gives notice",
        blank=True,
        help_text="Plans for individual children if the regulator re-visits and gives notice",
    )
    media_interest = models.TextField("media interest", blank=True)
    inform_provider = models.CharField(
        "inform the provider",
        max_length=4,
        choices=InformProvider.choices,
        blank=True,
        default=InformProvider.UNDECIDED,
    )
    inform_provider_when = models.DateField("when to inform the provider", null=True, blank=True)
    inform_provider_how = models.TextField("how to inform the provider", blank=True)
    actions_by = models.DateField(
        "timescale agreed to complete all indicated actions by", null=True, blank=True
    )
    review_date = models.DateField(null=True, blank=True)
    review_time = models.TimeField(null=True, blank=True)
    review_location = models.CharField(max_length=200, blank=True)
    no_review_reason = models.TextField(
        "why no review is needed",
        blank=True,
        help_text="Only when the meeting sets no review date",
    )
    rearranged = models.PositiveSmallIntegerField(
        default=0,
        help_text="How many times the date, time or place was changed: each change is told "
        "to the invitees once (scoping.invitations)",
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"Scoping meeting {self.date:%d/%m/%Y} about {self.setting}"


class MeetingInvitee(models.Model):
    """Someone invited to a meeting: a member of staff (who may then open it) or another
    professional. The provider is never invited (seed 000)."""

    class Attendance(models.TextChoices):
        INVITED = "invited", "Invited"
        ATTENDED = "attended", "Attended"
        APOLOGIES = "apologies", "Apologies received"

    meeting = models.ForeignKey(ScopingMeeting, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_invitations",
    )
    name = models.CharField(max_length=150)
    role = models.CharField("role", max_length=150)
    organisation = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    health_professional = models.BooleanField(default=False)
    attendance = models.CharField(
        max_length=10, choices=Attendance.choices, default=Attendance.INVITED
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="invited_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class MeetingChild(models.Model):
    """A child placed at the setting, as the minutes name them: Child N, with initials."""

    meeting = models.ForeignKey(ScopingMeeting, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey("placements.Child", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    initials = models.CharField(max_length=6)
    risk_assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    risk_assessment_review = models.TextField("review of risk assessment", blank=True)
    wishes_and_feelings = models.TextField(
        "wishes and feelings of the child or young person", blank=True
    )
    views_of_others = models.TextField("views of others", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_child_number"),
            models.UniqueConstraint(fields=["meeting", "child"], name="child_listed_once"),
        ]

    def __str__(self) -> str:
        return f"Child {self.number}"


class MeetingAction(models.Model):
    """An action agreed at the meeting, for one child or for the provision, with its owner
    and deadline; each open action is a ``scoping_action`` duty."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        WITHDRAWN = "withdrawn", "Withdrawn"

    meeting = models.ForeignKey(ScopingMeeting, on_delete=models.CASCADE, related_name="actions")
    meeting_child = models.ForeignKey(
        MeetingChild, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    action = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scoping_actions"
    )
    deadline = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField("why it is withdrawn", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | ~models.Q(withdrawn_reason=""),
                name="a_withdrawn_action_has_a_reason",
            )
        ]

    def __str__(self) -> str:
        return f"Action {self.pk} of {self.meeting}"


class InviteeEmail(models.Model):
    """An email to an invitee who is not a member of staff (no account, so no in-app
    notification): the invitation, and each change of the meeting's date, time or place.
    One per (invitee, key), so saving again sends nothing twice; sent after the change
    commits and retried by the periodic run (scoping.invitations)."""

    class Status(models.TextChoices):
        PENDING = "pending", "To send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    invitee = models.ForeignKey(MeetingInvitee, on_delete=models.CASCADE, related_name="emails")
    key = models.CharField(max_length=120)
    to = models.EmailField()
    reply_to = models.EmailField(blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["invitee", "key"], name="one_email_per_invitee_key")
        ]
        indexes = [models.Index(fields=["status", "attempts"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
