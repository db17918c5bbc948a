from django.urls import path

from dangvu.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.TreeView.as_view(), name="tree"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="detail"),
    path("<int:pk>/con/", views.ChildrenView.as_view(), name="children"),
    path("<int:pk>/them/", views.OrganizationCreateView.as_view(), name="create"),
    path("<int:pk>/sua/", views.OrganizationEditView.as_view(), name="edit"),
    path("<int:pk>/chuyen/", views.OrganizationMoveView.as_view(), name="move"),
    path("<int:pk>/co-quan/them/", views.AgencyCreateView.as_view(), name="agency_create"),
    path("co-quan/<int:pk>/sua/", views.AgencyEditView.as_view(), name="agency_edit"),
    path("<int:pk>/nhiem-ky/them/", views.TermCreateView.as_view(), name="term_create"),
    path("nhiem-ky/<int:pk>/cap-uy/them/", views.SeatCreateView.as_view(), name="seat_create"),
    path("cap-uy/<int:pk>/thoi/", views.SeatEndView.as_view(), name="seat_end"),
]
