"""The site's addresses: the admin, the readers' login, and the public pages (pages/urls.py)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "Critical metals: sources and claims"
admin.site.site_title = "Critical metals claims"
admin.site.index_title = "Curation"

urlpatterns = [
    path("admin/", admin.site.urls),
    # For team members when PUBLIC_PAGES_REQUIRE_LOGIN is on (the admin's login is for staff only).
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", next_page="home"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="home"), name="logout"),
    path("", include("pages.urls")),
]

# A database still locked past its busy timeout is a 503 "try again", not a 500 (core/errors.py).
handler500 = "core.errors.server_error"
