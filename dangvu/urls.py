from django.urls import include, path

from dangvu.access import views as access_views
from dangvu.orgs.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/login/", access_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", access_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", access_views.PasswordChangeView.as_view(), name="password_change"),
    path("to-chuc/", include("dangvu.orgs.urls")),
    path("nhat-ky/", include("dangvu.audit.urls")),
    path("api/", include("dangvu.api_urls")),
]
