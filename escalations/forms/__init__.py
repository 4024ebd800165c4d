"""The forms of escalations, by what they are about."""

from .concerns import (
    ConcernCloseForm,
    ConcernForm,
    ConcernLevelForm,
    ConcernLevelProposalForm,
    LetterDeliveryForm,
    LetterForm,
    LetterIssueForm,
    PlanActionForm,
    RepresentationsForm,
)
from .iro import AdvanceForm, EscalationForm, ResolveForm, ResponseForm

__all__ = [
    "ConcernCloseForm",
    "ConcernForm",
    "ConcernLevelForm",
    "ConcernLevelProposalForm",
    "LetterDeliveryForm",
    "AdvanceForm",
    "EscalationForm",
    "LetterForm",
    "LetterIssueForm",
    "PlanActionForm",
    "RepresentationsForm",
    "ResolveForm",
    "ResponseForm",
]
