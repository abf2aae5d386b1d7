from django.urls import path

from placewise.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.home, name="home"),
    path("supervisees/", views.supervisees, name="supervisees"),
    path("<int:pk>/", views.supervision_page, name="supervision"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/sessions/new/", views.new_session, name="new_session"),
    path("sessions/<int:pk>/", views.session_page, name="session"),
    path("progress/", views.my_progress, name="my_progress"),
    path("progress/<int:pk>/", views.progress_page, name="progress"),
    path(
        "progress/<int:pk>/record.pdf", views.progress_record, {"kind": "pdf"}, name="progress_pdf"
    ),
    path(
        "progress/<int:pk>/record.xlsx",
        views.progress_record,
        {"kind": "xlsx"},
        name="progress_xlsx",
    ),
]
