from django.urls import path

from placewise.learning import views

app_name = "learning"
urlpatterns = [
    path("people/", views.find_person, name="find"),
    path("people/<slug:source>/<str:reference>/", views.person, name="person"),
]
