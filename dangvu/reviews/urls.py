from django.urls import path

from dangvu.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.ProgressView.as_view(), name="progress"),
    path("chi-tiet/", views.DrilldownView.as_view(), name="drilldown"),
    path("chi-bo/<int:pk>/", views.GridView.as_view(), name="grid"),
    path("chi-bo/<int:pk>/dong/", views.GridRowView.as_view(), name="grid_row"),
    path("chi-bo/<int:pk>/de-xuat/", views.GridProposeView.as_view(), name="grid_propose"),
    path("chi-bo/<int:pk>/quyet-dinh/", views.GridDecideView.as_view(), name="grid_decide"),
]
