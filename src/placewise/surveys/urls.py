from django.urls import path

from placewise.surveys import scan_views, views

app_name = "surveys"
urlpatterns = [
    path("", views.home, name="home"),
    path("rounds/new/", views.start, name="start"),
    path("rounds/<int:pk>/", views.round_page, name="round"),
    path("rounds/<int:pk>/self/", views.self_assess, name="self_assess"),
    path("rounds/<int:pk>/invite/", views.invite, name="invite"),
    path("rounds/<int:pk>/close/", views.close, name="close"),
    path("rounds/<int:pk>/share/", views.share, name="share"),
    path("rounds/<int:pk>/report/", views.report_page, name="report"),
    path("rounds/<int:pk>/report.pdf", views.report_download, name="report_pdf"),
    path("rate/<str:token>/", views.rate, name="rate"),
    path("questionnaire/", views.questionnaire, name="questionnaire"),
    path("questionnaire/edit/", views.questionnaire_edit, name="questionnaire_edit"),
    path("culture/new/", scan_views.scan_new, name="scan_new"),
    path("culture/<int:pk>/", scan_views.scan_page, name="scan"),
    path("culture/<int:pk>/answer/", scan_views.scan_answer, name="scan_answer"),
    path("culture/<int:pk>/close/", scan_views.scan_close, name="scan_close"),
]
