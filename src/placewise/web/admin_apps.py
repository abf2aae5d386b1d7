"""Django's admin app with placewise's admin site (placewise.web.admin_site) as `admin.site`.

Its own module because INSTALLED_APPS imports it before any models are ready; the site, which
needs models, is imported by name when the admin app is ready."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "placewise.web.admin_site.StaffAdminSite"
