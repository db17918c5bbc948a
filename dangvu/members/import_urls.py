"""Import and export of member lists; included at ``/dang-vien/nhap-xuat/``."""

from django.urls import path

from dangvu.members import import_views as views

app_name = "member_io"

urlpatterns = [
    path("nhap/", views.ImportUploadView.as_view(), name="upload"),
    path("nhap/kiem-tra/", views.ImportPreviewView.as_view(), name="preview"),
    path("nhap/ghi/", views.ImportConfirmView.as_view(), name="confirm"),
    path("nhap/huy/", views.ImportCancelView.as_view(), name="cancel"),
    path("nhap/bao-cao-loi/", views.ImportReportDownloadView.as_view(), name="report_download"),
    path("nhap/tep-mau/", views.TemplateDownloadView.as_view(), name="template"),
    path("xuat/", views.ExportView.as_view(), name="export"),
]
