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
