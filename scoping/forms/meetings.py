"""The scoping meeting's forms (GOV.UK components). What the answers contradict is checked
by scoping.meetings and shown beside the fields (core.pages.add_service_errors)."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from accounts.models import Role, User
from core.fields import DateInputField
from core.forms import form_helper

from .. import meetings
from ..models import MeetingChild, MeetingInvitee, ScopingMeeting

TIME_HELP = "Use the 24-hour clock, for example 14:30"


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.job_title or obj.role_label})"


def _time_field(label: str, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        help_text=TIME_HELP,
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        error_messages={
            "required": "Enter the time",
            "invalid": "Enter a time like 14:30",
        },
    )


class ConveneForm(forms.Form):
    date = DateInputField(label="Date of the meeting", help_text="For example, 27 3 2026")
    time = _time_field("Time")
    location = forms.CharField(
        label="Location",
        max_length=200,
        help_text="The room and building, or how to join online",
        error_messages={"required": "Enter where the meeting is held"},
    )
    chair = StaffChoiceField(
        label="Chair",
        queryset=User.objects.none(),
        help_text="The LADO service manager chairs the meeting",
        error_messages={"required": "Choose the chair", "invalid_choice": "Choose the chair"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages["required"] = "Enter the date of the meeting"
        self.fields["chair"].queryset = meetings.lado_users()
        self.helper = form_helper(
            Field("date"),
            Field.text("time", field_width=5),
            Field.text("location"),
            Field.select("chair"),
            submit="Save",
        )


class MinutesForm(forms.ModelForm):
    inform_provider_when = DateInputField(
        label="When to inform the provider", required=False, help_text="For example, 27 3 2026"
    )
    actions_by = DateInputField(
        label="Timescale agreed to complete all indicated actions by",
        required=False,
        help_text="For example, 27 3 2026",
    )
    review_date = DateInputField(
        label="Review date", required=False, help_text="For example, 27 3 2026"
    )
    review_time = _time_field("Review time", required=False)

    class Meta:
        model = ScopingMeeting
        fields = meetings.MINUTES_FIELDS
        widgets = {
            "provision_decision": forms.RadioSelect,
            "inform_provider": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("provision_decision", "inform_provider"):
            # The radios offer the decisions; "not yet decided" is no answer.
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
            self.fields[name].required = False
        area = [
            "summary",
            "discussions",
            "further_information",
            "interventions",
            "conditions",
            "immediate_action",
            "regulator_contingency",
            "media_interest",
            "inform_provider_how",
            "no_review_reason",
        ]
        self.helper = form_helper(
            Fieldset(
                Field.textarea("summary", rows=4),
                legend="Introduction",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                Field.textarea("discussions", rows=8),
                Field.textarea("further_information", rows=4),
                Field.textarea("interventions", rows=4),
                legend="Discussions",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                Field.radios("provision_decision", legend_size=Size.SMALL),
                Field.textarea("conditions", rows=4),
                Field.textarea("immediate_action", rows=4),
                Field.textarea("regulator_contingency", rows=4),
                Field.textarea("media_interest", rows=3),
                Field.radios("inform_provider", legend_size=Size.SMALL, inline=True),
                Field("inform_provider_when"),
                Field.textarea("inform_provider_how", rows=3),
                legend="Decisions",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                Field("actions_by"),
                Field("review_date"),
                Field.text("review_time", field_width=5),
                Field.text("review_location"),
                Field.textarea("no_review_reason", rows=3),
                legend="Timescale and review",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            submit="Save the minutes",
        )
        for name in area:
            self.fields[name].widget.attrs.setdefault("rows", 4)


class ChildReviewForm(forms.ModelForm):
    class Meta:
        model = MeetingChild
        fields = meetings.CHILD_FIELDS
        labels = {
            "risk_assessment_review": "Review of risk assessment",
            "wishes_and_feelings": "Wishes and feelings of the child or young person",
            "views_of_others": "Views of others",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            *(Field.textarea(name, rows=6) for name in meetings.CHILD_FIELDS),
            submit="Save",
        )


class InviteeForm(forms.Form):
    user = StaffChoiceField(
        label="Member of staff (optional)",
        required=False,
        queryset=User.objects.none(),
        help_text="Staff invited can open the meeting and its minutes",
        error_messages={"invalid_choice": "Choose a member of staff from the list"},
    )
    name = forms.CharField(
        label="Name",
        max_length=150,
        required=False,
        help_text="Leave blank for a member of staff chosen above",
    )
    role = forms.CharField(label="Role", max_length=150, required=False)
    organisation = forms.CharField(
        label="Organisation",
        max_length=150,
        required=False,
        help_text="Not the provider: the provider is never invited",
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    health_professional = forms.BooleanField(label="A health professional", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(role=Role.ADMINISTRATOR)
            .order_by("first_name", "last_name", "pk")
        )
        self.helper = form_helper(
            Field.select("user"),
            Field.text("name"),
            Field.text("role"),
            Field.text("organisation"),
            Field.text("email", field_width=20),
            Field.checkbox("health_professional"),
            submit="Invite",
        )


class AttendanceForm(forms.Form):
    def __init__(self, *args, invitees, **kwargs):
        super().__init__(*args, **kwargs)
        fields = []
        for invitee in invitees:
            name = f"attendance_{invitee.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"{invitee.name}, {invitee.role}",
                choices=MeetingInvitee.Attendance.choices,
                initial=invitee.attendance,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Say whether {invitee.name} attended",
                    "invalid_choice": f"Say whether {invitee.name} attended",
                },
            )
            fields.append(Field.radios(name, legend_size=Size.SMALL, inline=True))
        self.helper = form_helper(*fields, submit="Save attendance")

    def attendance(self) -> dict[int, str]:
        return {
            int(name.removeprefix("attendance_")): value
            for name, value in self.cleaned_data.items()
        }


class ActionForm(forms.Form):
    meeting_child = forms.ChoiceField(
        label="For",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the child or the provision",
            "invalid_choice": "Choose the child or the provision",
        },
    )
    action = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what is to be done"},
    )
    owner = StaffChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        error_messages={
            "required": "Choose who owns the action",
            "invalid_choice": "Choose who owns the action",
        },
    )
    deadline = DateInputField(label="Deadline", help_text="For example, 27 3 2026")

    def __init__(self, *args, meeting: ScopingMeeting, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {str(c.pk): c for c in children}
        self.fields["meeting_child"].choices = [("provision", "The provision")] + [
            (str(c.pk), meetings.child_label(c)) for c in children
        ]
        self.fields["owner"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(role=Role.ADMINISTRATOR)
            .order_by("first_name", "last_name", "pk")
        )
        self.fields["deadline"].error_messages["required"] = "Enter the deadline"
        self.helper = form_helper(
            Field.radios("meeting_child", legend_size=Size.SMALL),
            Field.textarea("action", rows=4),
            Field.select("owner"),
            Field("deadline"),
            submit="Add the action",
        )

    def chosen_child(self):
        return self.children.get(self.cleaned_data["meeting_child"])

    @staticmethod
    def initial_for(action) -> dict:
        """The form's answers for an action being changed."""
        return {
            "meeting_child": str(action.meeting_child_id)
            if action.meeting_child_id
            else "provision",
            "action": action.action,
            "owner": action.owner,
            "deadline": action.deadline,
        }


class ActionWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is the action withdrawn?",
        help_text="The action stays on the minutes, marked withdrawn, with this reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the action is withdrawn"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason", rows=4), submit="Withdraw the action")


class ActionDoneForm(forms.Form):
    outcome = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what was done"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("outcome", rows=4), submit="Mark as done")


class FinaliseForm(forms.Form):
    """No fields: the check is the service's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit="Finalise the minutes")
