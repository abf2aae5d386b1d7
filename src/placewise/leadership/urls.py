from django.urls import path

from placewise.leadership import coaching_views, views

app_name = "leadership"
urlpatterns = [
    path("", views.home, name="home"),
    path("plan/", views.my_plan, name="my_plan"),
    path("plan/<int:pk>/", views.plan_page, name="plan"),
    path("plan/<int:pk>/experiments/new/", views.new_experiment, name="new_experiment"),
    path("plan/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("experiments/<int:pk>/", views.experiment_page, name="experiment"),
    path("sharing/", views.sharing, name="sharing"),
    path("my-data.json", views.my_data, name="my_data"),
    path("coaching/", coaching_views.coaching_home, name="coaching_home"),
    path("coaching/<int:pk>/", coaching_views.coaching_page, name="coaching"),
    path("coaching/conversations/<int:pk>/", coaching_views.conversation_page, name="conversation"),
    path("coaching/numbers/", coaching_views.numbers, name="numbers"),
]
