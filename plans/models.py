"""A looked-after child's plans and assessments (timescales.md §7; 003_… 10.x): each
with its date, who completed it, a short summary, an optional document and its history.

The ``kind`` values are a contract: the ``import_plans`` CSV's ``kind`` column and the
duty kinds of the same names (``plans.duty_kinds``).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


class PlanKind(models.TextChoices):
    CARE_PLAN = "care_plan", "Care plan"
    PLACEMENT_PLAN = "placement_plan", "Placement plan"
    HEALTH_ASSESSMENT = "health_assessment", "Health assessment"
    PEP = "pep", "Personal education plan (PEP)"
    PATHWAY_PLAN = "pathway_plan", "Pathway plan"
    UPDATED_ASSESSMENT = "updated_assessment", "Updated assessment"


class HealthStage(models.TextChoices):
    INITIAL = "initial", "Initial health assessment"
    REVIEW = "review", "Review health assessment"


class Source(models.TextChoices):
    BROWSER = "browser", "Recorded in the app"
    IMPORT = "import", "Imported (import_plans)"


def attachment_path(instance: Plan, filename: str) -> str:
    """Stored under a random name (the person's file name is kept in ``attachment_name``):
    nothing a user types reaches the file system."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"plans/{instance.child_id}/{uuid.uuid4().hex}{suffix}"


class Plan(models.Model):
    child = models.ForeignKey("placements.Child", on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(max_length=24, choices=PlanKind.choices)
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plans",
        help_text="The placement a placement plan is for",
    )
    stage = models.CharField(
        max_length=10,
        choices=HealthStage.choices,
        blank=True,
        help_text="For a health assessment: initial or review",
    )
    completed_on = models.DateField("date completed")
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The member of staff who completed it, where they are a user",
    )
    completed_by_name = models.CharField(
        "completed by",
        max_length=120,
        blank=True,
        help_text="Who completed it, as written (a health professional, a school's "
        "designated teacher)",
    )
    summary = models.TextField(blank=True, max_length=2000)
    attachment = models.FileField(upload_to=attachment_path, blank=True, max_length=200)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.BROWSER)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "-completed_on", "kind"]
        indexes = [models.Index(fields=["child", "kind", "completed_on"])]
        constraints = [
            # One record of a kind a day (per placement for placement plans): importing
            # a file again adds nothing.
            models.UniqueConstraint(
                fields=["child", "kind", "completed_on"],
                condition=models.Q(placement__isnull=True),
                name="one_plan_of_a_kind_a_day",
            ),
            models.UniqueConstraint(
                fields=["placement", "kind", "completed_on"],
                condition=models.Q(placement__isnull=False),
                name="one_placement_plan_a_day",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="placement_plan", placement__isnull=False)
                | ~models.Q(kind="placement_plan"),
                name="placement_plan_has_placement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.child.child_id}, {self.completed_on:%d/%m/%Y}"


class SchoolTerm(models.Model):
    """A school term, for the PEP's termly review (timescales.md §7): data an
    administrator keeps. A school year with no term recorded has England's usual terms,
    simplified (``plans.terms``): record all the terms of a year, or none."""

    name = models.CharField(max_length=40, help_text="As people say it: 'Autumn 2026'")
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="school_term_ends_after_it_starts",
            ),
            models.UniqueConstraint(fields=["starts_on"], name="one_school_term_a_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%d/%m/%Y} to {self.ends_on:%d/%m/%Y})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": "The last day must not be before the first."})
            overlapping = SchoolTerm.objects.filter(
                starts_on__lte=self.ends_on, ends_on__gte=self.starts_on
            ).exclude(pk=self.pk)
            if overlapping.exists():
                other = overlapping.first()
                raise ValidationError({"starts_on": f"These dates overlap another term: {other}."})
