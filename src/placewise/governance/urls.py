from django.urls import path

from placewise.governance import agreement_views, views
from placewise.web.views import section_start

app_name = "governance"
urlpatterns = [
    path("", section_start, {"section": "setup"}, name="start"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/roles/<int:membership>/take/", views.take_role, name="take_role"),
    path("people/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("invitations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("join/<str:token>/", views.join, name="join"),
    path("sources/", views.sources, name="sources"),
    path("sources/<str:source>/rename/", views.rename_source, name="rename_source"),
    path("agreements/", agreement_views.agreements, name="agreements"),
    path("agreements/new/", agreement_views.draft, name="draft"),
    path("agreements/<int:pk>/", agreement_views.agreement, name="agreement"),
    path("agreements/<int:pk>/datasets/", agreement_views.add_dataset, name="add_dataset"),
    path("agreements/<int:pk>/approve/", agreement_views.approve, name="approve"),
    path("agreements/<int:pk>/status/", agreement_views.status, name="agreement_status"),
]
