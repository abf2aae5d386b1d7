from django.urls import path

from placewise.sources import views

app_name = "data"
urlpatterns = [
    path("", views.data_home, name="home"),
    path("loads/<int:pk>/", views.load_detail, name="load"),
    path("upload/", views.upload, name="upload"),
]
