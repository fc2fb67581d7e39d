from django.urls import path

from . import views

app_name = "guides"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("professions/<slug:slug>/", views.ProfessionView.as_view(), name="profession"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("<slug:slug>/", views.JurisdictionView.as_view(), name="jurisdiction"),
    path("<slug:jurisdiction>/<slug:slug>/", views.RouteView.as_view(), name="route"),
]
