"""What the register tells the rest of the product: domain events, as Django signals.

The register (this app) imports no workflow. When it records a fact that other parts
of the product act on, its service sends one of these inside its own transaction, so
that whatever a receiver writes (duties, risk assessments, notifications) is committed
with the fact or not at all: a receiver that raises rolls the change back. Workflows
connect their receivers in their ``receivers.py`` (from ``AppConfig.ready()``).

Every signal is sent with ``sender`` the model class and ``actor`` the member of staff
who made the change (None for an import or a job).
"""

from django.dispatch import Signal

#: A placement (an SSDA903 episode) started: ``placement``, and ``ended``, the episode
#: it ended (the child's open one), or None. Ending one by starting the next is one
#: event: no ``placement_ended`` is sent for it, as the child was never out of care.
placement_started = Signal()

#: A placement ended, with no new one: ``placement`` (its ``dec`` and ``rec`` set).
placement_ended = Signal()

#: Children's episodes changed other than by starting or ending one (a 903 return
#: imported; concerns recorded on an unregistered placement): ``child_ids``.
placements_changed = Signal()

#: A child's allocated staff (social worker, personal adviser, team, IRO) or restriction
#: changed: ``child``.
child_allocated = Signal()

#: An Ofsted judgement was recorded for a setting: ``result`` (an
#: ``InspectionResult``: the inspection, whether it is new, a downgrade, the setting's
#: current judgement now) and ``recorded_on`` (the day commissioning received it).
judgement_recorded = Signal()

#: An Ofsted notice (cancellation, proceedings, barred admissions) was recorded for a
#: children's home: ``notice``.
notice_recorded = Signal()
