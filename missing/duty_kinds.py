"""The duties of a missing or away episode, registered with the duty engine
(``duties.registry``): the return home interview (the child's social worker's) and the
setting's missing report (answered by commissioning, listed on the setting's page).

Both are opened and closed step by step by ``missing.services`` (``duties.services``
``duty_open`` / ``duty_done``), keyed by the episode: the interview when the return is
recorded, the report when the episode is. Their hours are rule values
(``missing.rules.MissingRules``); a changed value applies to episodes recorded afterwards.
"""

from accounts.models import Role
from duties import registry, timescales

from .rules import MISSING_REPORT, RETURN_HOME_INTERVIEW, MissingRules

#: Duty.subject of each kind: the episode's pk, then what is due.
INTERVIEW_SUBJECT = r"missing:(\d+):interview"
REPORT_SUBJECT = r"missing:(\d+):report"

TYPES = (
    registry.DutyType(
        kind=RETURN_HOME_INTERVIEW,
        label="Return home interview",
        owner="The child's social worker (the interview itself is independent)",
        links=((INTERVIEW_SUBJECT, "missing:interview"),),
        order=140,
    ),
    registry.DutyType(
        kind=MISSING_REPORT,
        label="Missing report from the setting",
        owner="The commissioning team (the setting sends it)",
        links=((REPORT_SUBJECT, "missing:home_report"),),
        answered_by=Role.COMMISSIONING_OFFICER,
        on_setting_page=True,
        order=141,
    ),
)


def interview_subject(episode_id: int) -> str:
    return f"missing:{episode_id}:interview"


def report_subject(episode_id: int) -> str:
    return f"missing:{episode_id}:report"


def register() -> None:
    registry.register(*TYPES, extra_links=[(r"missing:(\d+)", "missing:episode")])
    timescales.register(MissingRules, recompute=False)
