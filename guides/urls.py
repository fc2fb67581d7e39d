from django.urls import include, path

from . import views
from .feeds import UpdatesFeed

app_name = "guides"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("feeds/updates/", views.public_page(UpdatesFeed()), name="updates-feed"),
    path("routes/", views.RouteListView.as_view(), name="route-list"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("jurisdictions/", views.JurisdictionListView.as_view(), name="jurisdiction-list"),
    path("professions/<slug:slug>/", views.ProfessionView.as_view(), name="profession"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceView.as_view(), name="source"),
    path("how-we-check/", views.HowWeCheckView.as_view(), name="how-we-check"),
    path("finder/", views.FinderView.as_view(), name="finder"),
    path("glossary/", views.GlossaryView.as_view(), name="glossary"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path(
        "compare/<str:pair>/",
        views.CompareJurisdictionsView.as_view(),
        name="compare-jurisdictions",
    ),
    path(
        "<slug:jurisdiction>/",
        include(
            [
                path("", views.JurisdictionView.as_view(), name="jurisdiction"),
                path("<slug:slug>/", views.RouteView.as_view(), name="route"),
                path("<slug:slug>/updates/", views.route_updates, name="route-updates"),
                path(
                    "<slug:slug>/self-assessment/",
                    views.SelfAssessmentView.as_view(),
                    name="self-assessment",
                ),
                path("<slug:slug>/report/", views.ReportProblemView.as_view(), name="report"),
                path("<slug:slug>/report/thanks/", views.report_thanks, name="report-thanks"),
            ]
        ),
    ),
]
