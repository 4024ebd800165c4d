"""Pieces every app's forms share."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit


def form_helper(*fields, submit: str) -> FormHelper:
    """A GOV.UK form's layout: its fields, then one submit button (the page has the form tag)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper
