from django.urls import path

from dangvu.members import views

app_name = "members"

urlpatterns = [
    path("", views.MemberListView.as_view(), name="list"),
    path("them/", views.MemberCreateView.as_view(), name="create"),
    path("<int:pk>/", views.MemberDetailView.as_view(), name="detail"),
    path("<int:pk>/sua/", views.MemberEditView.as_view(), name="edit"),
    path("<int:pk>/su-kien/", views.EventRecordView.as_view(), name="event"),
    path("<int:pk>/chuyen-di/", views.TransferOutView.as_view(), name="transfer_out"),
    path("<int:pk>/tam-thoi/", views.TransferTemporaryView.as_view(), name="transfer_temporary"),
    path("chuyen-sinh-hoat/", views.TransferListView.as_view(), name="transfers"),
    path(
        "chuyen-sinh-hoat/<int:pk>/nhan/",
        views.TransferReceiveView.as_view(),
        name="transfer_receive",
    ),
    path(
        "chuyen-sinh-hoat/<int:pk>/tro-lai/",
        views.TransferReturnView.as_view(),
        name="transfer_return",
    ),
    path("danh-sach-theo-ngay/", views.AsOfView.as_view(), name="as_of"),
    path("chat-luong-du-lieu/", views.QualityView.as_view(), name="quality"),
    path("chat-luong-du-lieu/danh-sach/", views.QualityListView.as_view(), name="quality_list"),
    path("to-chuc/<int:pk>/", views.OrganizationMembersView.as_view(), name="org_summary"),
]
