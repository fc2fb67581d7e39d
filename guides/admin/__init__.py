"""The editors' admin: content in catalogue and routes, the workflow around it in workflow."""

from django.contrib import admin

from . import assessments, catalogue, routes, workflow

__all__ = ["assessments", "catalogue", "routes", "workflow"]

admin.site.site_header = "Route Guide editing"
admin.site.site_title = "Route Guide editing"
admin.site.index_title = "Your work and the content"
