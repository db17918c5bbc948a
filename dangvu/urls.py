"""The URL conf. Every view is scoped (``ScopedMixin``, ``ScopedViewSet``, ``ScopedAPIView``)
except those in ``SCOPE_EXEMPT``, each with the reason it needs no organization scope; the
meta-test in ``core/tests/test_urlconf.py`` fails for any other route."""

from django.urls import include, path

from dangvu.access import views as access_views
from dangvu.core import views as core_views
from dangvu.orgs.views import HomeView

SCOPE_EXEMPT = {
    "login": "the login page itself; throttled by django-axes",
    "logout": "ends the user's own session (POST only)",
    "password_change": "changes the user's own password, after asking the current one",
    "api-token": "exchanges the user's own credentials for their API token (throttled)",
    "api-root": "lists the API's endpoints, no data",
    "api-schema": "the OpenAPI description of the API, no data (login required)",
    "api-docs": "the interactive API documentation page, no data (login required)",
    "calendar": "the installation-wide working-day calendar, no personal data; login required,"
    " and only a superuser may declare days",
    "calendar_day_delete": "withdraws a declared day; login required, superuser only (service)",
}

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/login/", access_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", access_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", access_views.PasswordChangeView.as_view(), name="password_change"),
    path("to-chuc/", include("dangvu.orgs.urls")),
    path("nhat-ky/", include("dangvu.audit.urls")),
    path("phan-quyen/", include("dangvu.access.urls")),
    path("lich/", core_views.CalendarView.as_view(), name="calendar"),
    path(
        "lich/<int:pk>/xoa/", core_views.CalendarDayDeleteView.as_view(), name="calendar_day_delete"
    ),
    # The member registry (import and export first: "nhap-xuat/" is not a member id).
    path("dang-vien/nhap-xuat/", include("dangvu.members.import_urls")),
    path("dang-vien/", include("dangvu.members.urls")),
    path("xep-loai/", include("dangvu.reviews.urls")),
    path("api/", include("dangvu.api_urls")),
]
