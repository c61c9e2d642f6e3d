"""Downloads of a project, under /forbattring/<pk>/export/."""

from django.urls import path

from painpath.improvement import views_export as views

urlpatterns = [
    path("<int:pk>/export/word/", views.export_docx_view, name="improvement_export_docx"),
    path("<int:pk>/export/pdf/", views.export_pdf_view, name="improvement_export_pdf"),
    path("<int:pk>/export/excel/", views.export_xlsx_view, name="improvement_export_xlsx"),
]
