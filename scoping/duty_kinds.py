"""The duties of risk assessments, scoping meeting requests and meetings, registered with
the duty engine (``duties.registry``). Their services open and close them step by step."""

from duties import registry

RISK_ASSESSMENT = "risk_assessment"
SCOPING_MEETING = "scoping_meeting"
SCOPING_ACTION = "scoping_action"
PLACEMENT_PLANNING = "placement_planning"

TYPES = (
    registry.DutyType(
        kind=RISK_ASSESSMENT,
        label="Risk assessment",
        owner="The child's social worker or personal adviser",
        links=((r"risk_assessment:(\d+)", "scoping:risk_assessment"),),
        on_setting_page=True,
        order=70,
    ),
    registry.DutyType(
        kind=SCOPING_MEETING,
        label="Scoping meeting",
        owner="The assistant director (deciding a request), then the LADO service (convening)",
        links=(
            # The assistant director's decision, and the LADO service's convening after it.
            (r"scoping_request:(\d+)(?::convene)?", "scoping:request"),
            # Route 1: the LADO service convenes a meeting about the setting.
            (r"setting:(\d+):scoping", "scoping:meeting_convene"),
            # The review date of a meeting: its page offers to convene the review meeting.
            (r"meeting:(\d+):review", "scoping:meeting"),
        ),
        on_setting_page=True,
        order=80,
    ),
    registry.DutyType(
        kind=SCOPING_ACTION,
        label="Scoping meeting action",
        owner="The owner the meeting gave the action",
        links=((r"scoping_action:(\d+)", "scoping:action"),),
        order=120,
    ),
    registry.DutyType(
        kind=PLACEMENT_PLANNING,
        label="Placement planning: provision no longer used",
        owner="The social worker of each child placed there",
        order=130,
    ),
)


def register() -> None:
    registry.register(*TYPES)
