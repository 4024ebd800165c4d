"""The forms of the concern workflow: risk assessments, scoping requests and meetings."""
