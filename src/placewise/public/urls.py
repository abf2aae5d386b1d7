from django.urls import path

from placewise.public import manage_views, views

app_name = "public"
urlpatterns = [
    path("", views.register, name="register"),
    path("figures/", views.figures, name="figures"),
    path("figures/<int:pk>/", views.figure, name="figure"),
    path("figures/<int:pk>.csv", views.figure_csv, name="figure_csv"),
    path("figures/<int:pk>.json", views.figure_json, name="figure_json"),
    path("open-data/", views.open_data, name="open_data"),
    path("strategy/", views.strategy, name="strategy"),
    path("methodology/", views.methodology, name="methodology"),
    path("your-data/", views.your_data, name="your_data"),
    path("manage/", manage_views.manage, name="manage"),
    path("manage/propose/", manage_views.propose, name="propose"),
    path("manage/strategy/", manage_views.edit_strategy, name="edit_strategy"),
    path("manage/<int:pk>/", manage_views.check, name="check"),
    path("manage/<int:pk>/sign-off/", manage_views.sign_off, name="sign_off"),
    path("manage/<int:pk>/withdraw/", manage_views.withdraw, name="withdraw"),
]
