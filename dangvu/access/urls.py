from django.urls import path

from dangvu.access import views

app_name = "access"

urlpatterns = [
    path("", views.GrantListView.as_view(), name="grants"),
    path("giao-quyen/", views.GrantCreateView.as_view(), name="grant_create"),
    path("<int:pk>/thu-hoi/", views.GrantRevokeView.as_view(), name="grant_revoke"),
    path("tai-khoan/them/", views.AccountCreateView.as_view(), name="account_create"),
]
