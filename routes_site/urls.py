from django.contrib import admin
from django.urls import include, path

from guides.views import MarkdownPreviewView, healthz

handler500 = "guides.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Only the preview of markdownx is routed: the site hosts no uploaded files.
    path("markdownx/markdownify/", MarkdownPreviewView.as_view(), name="markdown_preview"),
    path("healthz", healthz, name="healthz"),
    path("", include("guides.urls")),
]
