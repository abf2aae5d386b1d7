from django.urls import path

from placewise.sharing import views

app_name = "sharing"
urlpatterns = [
    path("audit/", views.audit_log, name="audit"),
    path("agreements/", views.agreements, name="agreements"),
]
