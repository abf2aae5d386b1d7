from django.urls import path, re_path

from placewise.public import api_views

app_name = "api"
urlpatterns = [
    path("v1/", api_views.index, name="index"),
    path("v1/figures/", api_views.figures, name="figures"),
    path("v1/figures/<int:pk>/", api_views.figure, name="figure"),
    path("v1/openapi.json", api_views.description, name="openapi"),
    # Unnamed: nothing links to it; it answers every other address under /api/ in JSON.
    re_path(r"^(?P<path>.*)$", api_views.not_found),
]
