from django.urls import path

from placewise.service_reviews import views

app_name = "service_reviews"
urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/record.pdf", views.record_pdf, name="record_pdf"),
    path("meetings/<int:pk>/record.xlsx", views.record_xlsx, name="record_xlsx"),
]
