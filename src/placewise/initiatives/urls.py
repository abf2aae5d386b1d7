from django.urls import path

from placewise.initiatives import views

app_name = "initiatives"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.start, name="start"),
    path("<int:pk>/", views.initiative_page, name="initiative"),
    path("<int:pk>/describe/", views.describe, name="describe"),
    path("<int:pk>/stakeholders/new/", views.new_stakeholder, name="new_stakeholder"),
    *(
        path(f"<int:pk>/{what}/new/", views.add, {"what": what}, name=f"add_{what}")
        for what in views.ADD
    ),
    path("stakeholders/<int:pk>/", views.stakeholder_page, name="stakeholder"),
    path("milestones/<int:pk>/reached/", views.reach_milestone, name="reach_milestone"),
]
