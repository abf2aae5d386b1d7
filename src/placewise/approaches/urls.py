from django.urls import path

from placewise.approaches import views

app_name = "approaches"
urlpatterns = [
    path("", views.home, name="home"),
    path("questions/<int:pk>/", views.question, name="question"),
    path("new/", views.new, name="new"),
    path("survey/", views.survey, name="survey"),
    path("survey/rounds/new/", views.round_new, name="round_new"),
    path("survey/rounds/<int:pk>/", views.round_page, name="round"),
    path("survey/rounds/<int:pk>/answer/", views.answer, name="answer"),
    path("survey/rounds/<int:pk>/link/", views.link, name="link"),
    path("survey/rounds/<int:pk>/close/", views.close, name="close"),
    path("survey/rounds/<int:pk>/themes/", views.tag, name="tag"),
    path("survey/respond/<str:token>/", views.respond, name="respond"),
    path("<slug:key>/", views.approach, name="approach"),
    path("<slug:key>/edit/", views.edit, name="edit"),
    path("<slug:key>/history/", views.history, name="history"),
    path("<slug:key>/uses/new/", views.use, name="use"),
]
