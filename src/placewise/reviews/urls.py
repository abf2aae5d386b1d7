from django.urls import path

from placewise.reviews import action_views, views

app_name = "reviews"
urlpatterns = [
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/pack.xlsx", views.pack, name="review_pack"),
    path("reviews/<int:pk>/pack.pdf", views.pack_pdf, name="review_pack_pdf"),
    path("actions/", action_views.register, name="actions"),
    path("actions/<int:pk>/", action_views.action_page, name="action"),
]
