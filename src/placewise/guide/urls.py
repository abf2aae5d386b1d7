from django.urls import path

from placewise.guide import views

app_name = "guide"
urlpatterns = [
    path("", views.index, name="index"),
    path("service/", views.manage, name="manage"),
    path("service/<slug:key>/", views.service, name="service"),
    path("service/<slug:key>/items/<int:pk>/", views.item_page, name="item"),
    path("service/<slug:key>/gaps/<int:pk>/", views.gap_answer, name="gap"),
    path("<slug:key>/", views.guide_page, name="guide"),
]
