from django.urls import path

from dangvu.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="detail"),
]
