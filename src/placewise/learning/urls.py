from django.urls import path

from placewise.learning import cohort_views, views

app_name = "learning"
urlpatterns = [
    path("people/", views.find_person, name="find"),
    path("cohorts/", cohort_views.cohort_journey, name="cohort"),
    path("people/<slug:source>/<str:reference>/", views.person, name="person"),
]
