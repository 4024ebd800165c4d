"""The duties of letters of concern, action plans and IRO escalations, registered with the
duty engine (``duties.registry``). Their services open and close them step by step."""

from duties import registry

LETTER_OF_CONCERN = "letter_of_concern"
ACTION_PLAN = "action_plan"
ESCALATION_RESPONSE = "escalation_response"

TYPES = (
    registry.DutyType(
        kind=LETTER_OF_CONCERN,
        label="Letter of concern compliance period",
        owner="Whoever prepared the letter (commissioning or a manager)",
        on_setting_page=True,
        order=90,
    ),
    registry.DutyType(
        kind=ACTION_PLAN,
        label="Provider action plan action",
        owner="The commissioning officer who started the plan",
        on_setting_page=True,
        order=100,
    ),
    registry.DutyType(
        kind=ESCALATION_RESPONSE,
        label="IRO escalation response",
        owner="The manager the IRO escalated to at the open stage",
        links=((r"escalation_stage:(\d+)", "escalations:escalation_stage"),),
        order=110,
    ),
)


def register() -> None:
    registry.register(*TYPES)
