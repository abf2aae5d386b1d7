from django.urls import path

from placewise.learning import action_views, cohort_views, review_views, views
from placewise.web.views import section_start

app_name = "learning"
urlpatterns = [
    path("", section_start, {"section": "learning"}, name="start"),
    path("people/", views.find_person, name="find"),
    path("cohorts/", cohort_views.cohort_journey, name="cohort"),
    path("reviews/", review_views.reviews, name="reviews"),
    path("reviews/<int:pk>/", review_views.review, name="review"),
    path("reviews/<int:pk>/pack.xlsx", review_views.pack, name="review_pack"),
    path("reviews/<int:pk>/pack.pdf", review_views.pack_pdf, name="review_pack_pdf"),
    path("actions/", action_views.register, name="actions"),
    path("actions/<int:pk>/", action_views.action_page, name="action"),
    # A reference may hold "/" (a police case reference is DA/2025/000001), so it is a path.
    path("people/<slug:source>/<path:reference>/", views.person, name="person"),
]
