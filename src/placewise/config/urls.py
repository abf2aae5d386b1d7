from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from placewise.sharing import views as sharing_views
from placewise.web import views as web_views
from placewise.web.security import ThrottledAuthenticationForm

urlpatterns = [
    path("", web_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", authentication_form=ThrottledAuthenticationForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", sharing_views.second_factor_verify, name="second_factor_verify"),
    path("second-factor/setup/", sharing_views.second_factor_setup, name="second_factor_setup"),
    path("data/linkage/", include("placewise.linkage.urls")),
    path("data/jobs/", include("placewise.jobs.urls")),
    path("data/", include("placewise.sources.urls")),
    path("sharing/", include("placewise.sharing.urls")),
    path("governance/", include("placewise.governance.urls")),
    path("learning/", web_views.section_start, {"section": "learning"}, name="learning_start"),
    path("learning/", include("placewise.journeys.urls")),
    path("learning/", include("placewise.reviews.urls")),
    path("outcomes/", include("placewise.outcomes.urls")),
    path("practice/", include("placewise.practice.urls")),
    path("supervision/", include("placewise.supervision.urls")),
    path("service-reviews/", include("placewise.service_reviews.urls")),
    path("leadership/", include("placewise.leadership.urls")),
    path("initiatives/", include("placewise.initiatives.urls")),
    path("surveys/", include("placewise.surveys.urls")),
    path("system-map/", include("placewise.systemmap.urls")),
    path("approaches/", include("placewise.approaches.urls")),
    path("public/", include("placewise.public.urls")),
    path("api/", include("placewise.public.api_urls")),
    path("guide/", include("placewise.guide.urls")),
    path("community/", include("placewise.community.urls")),
    path("coming/<slug:section>/", web_views.coming, name="coming"),
    # Not mounted unless configured: see PLACEWISE_ADMIN_ENABLED and placewise.web.admin_site.
    *([path("admin/", admin.site.urls)] if settings.PLACEWISE_ADMIN_ENABLED else []),
]

handler403 = "placewise.web.views.denied"
handler404 = "placewise.web.views.not_found"
handler500 = "placewise.web.views.server_error"
