from django.urls import path

from placewise.surveys import views

app_name = "surveys"
urlpatterns = [
    path("rounds/<int:pk>/", views.round_page, name="round"),
]
