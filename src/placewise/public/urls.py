from django.urls import path

from placewise.public import views

app_name = "public"
urlpatterns = [path("", views.register, name="register")]
