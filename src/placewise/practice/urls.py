from django.urls import path

from placewise.practice import views

app_name = "practice"
urlpatterns = [
    path("", views.home, name="home"),
    path("framework/", views.framework, name="framework"),
    path("framework/edit/", views.framework_edit, name="framework_edit"),
    path("framework/<int:pk>/", views.framework_version, name="framework_version"),
    path("teams/", views.teams, name="teams"),
    path("themes/", views.themes, name="themes"),
    path("reviews/new/", views.new_review, name="new_review"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/case/", views.case, name="case"),
    path("reviews/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("reviews/<int:pk>/agree/", views.agree, name="agree"),
    path("reviews/<int:pk>/share/", views.share, name="share"),
    path("reviews/<int:pk>/summary.<str:kind>", views.export, name="export"),
]
