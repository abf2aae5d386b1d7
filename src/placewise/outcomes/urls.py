from django.urls import path

from placewise.outcomes import export_views, views

app_name = "outcomes"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", export_views.export, name="export"),
    path("indicators/<slug:key>/", views.indicator, name="indicator"),
    path("indicators/<slug:key>/series.csv", views.indicator_csv, name="indicator_csv"),
    path("indicators/<slug:key>/teams/", views.teams, name="teams"),
    path("indicators/<slug:key>/children/", views.children, name="children"),
]
