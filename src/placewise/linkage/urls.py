from django.urls import path

from placewise.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.linkage_home, name="home"),
    path("run/", views.linkage_start, name="start"),
    path("review/", views.review_queue, name="queue"),
    path("review/<int:pk>/", views.review_pair, name="pair"),
]
