from django.urls import path

from placewise.journeys import cohort_views, views

app_name = "journeys"
urlpatterns = [
    path("people/", views.find_person, name="find"),
    path("cohorts/", cohort_views.cohort_journey, name="cohort"),
    # A reference may hold "/" (a police case reference is DA/2025/000001), so it is a path.
    path("people/<slug:source>/<path:reference>/", views.person, name="person"),
]
