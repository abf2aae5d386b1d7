from django.urls import path

from placewise.community import public_views, views

app_name = "community"
urlpatterns = [
    path("", views.home, name="home"),
    path("population/", views.population, name="population"),
    path("population/service/", views.service_population, name="service_population"),
    path("engagements/new/", views.new_engagement, name="new"),
    path("engagements/<int:pk>/", views.engagement_page, name="engagement"),
    path("engagements/<int:pk>/sessions/new/", views.new_session, name="new_session"),
    path("engagements/<int:pk>/voices/", views.voices, name="voices"),
    path("engagements/<int:pk>/contacts/", views.contacts, name="contacts"),
    path("engagements/<int:pk>/publish/", views.publish, name="publish"),
    path("contacts/<int:pk>/delete/", views.forget_contact, name="forget_contact"),
    path("proposals/<int:pk>/respond/", views.respond, name="respond"),
    path("you-said-we-did/", public_views.you_said_we_did_list, name="you_said_we_did_list"),
    path("you-said-we-did/<slug:slug>/", public_views.you_said_we_did, name="you_said_we_did"),
]
