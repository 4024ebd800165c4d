"""Recording visits (the Purposeful Visiting Form); names are visits:…"""

from django.urls import path

from . import visit_views

urlpatterns = [
    path("children/<int:child_pk>/visits/", visit_views.visit_list, name="child_visits"),
    path("children/<int:child_pk>/visits/new/", visit_views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit"),
    path("visits/<int:pk>/edit/", visit_views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/amend/", visit_views.visit_amend, name="visit_amend"),
    path("visits/<int:pk>/visit.pdf", visit_views.visit_pdf, name="visit_pdf"),
]
