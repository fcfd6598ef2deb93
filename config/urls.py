from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config import views as site_views
from dashboard import views as dashboard_views
from goals import views as goal_views
from indicators import views as indicator_views
from municipalities import language
from municipalities import views as municipality_views
from reports import views as report_views

# The admin is Jobmål's, in the reader's language (Danish first), not "Django administration".
admin.site.site_header = _("Jobmål – administration")
admin.site.site_title = _("Jobmål – administration")
admin.site.index_title = _("Catalogue, goals and areas")

urlpatterns = [
    path("", goal_views.home, name="home"),
    path("kommune/<str:code>/", dashboard_views.municipality, name="dashboard-municipality"),
    path("kommune/<str:code>/maal/<int:goal>/", dashboard_views.municipality, name="dashboard-municipality-goal"),
    path("jobcenter/<slug:slug>/", dashboard_views.jobcentre, name="dashboard-jobcentre"),
    path("jobcenter/<slug:slug>/maal/<int:goal>/", dashboard_views.jobcentre, name="dashboard-jobcentre-goal"),
    path("jobcenter/<slug:slug>/maal/<int:goal>/maalsaetning/", goal_views.targets, name="goals-targets"),
    path("jobcenter/<slug:slug>/lokale-indikatorer/", goal_views.local_indicators, name="goals-local-indicators"),
    path(
        "jobcenter/<slug:slug>/lokale-indikatorer/<str:code>/",
        goal_views.local_indicator,
        name="goals-local-indicator",
    ),
    path(
        "kommune/<str:code>/sammenlignelige/", dashboard_views.municipality_peers, name="dashboard-municipality-peers"
    ),
    path("jobcenter/<slug:slug>/sammenlignelige/", dashboard_views.jobcentre_peers, name="dashboard-jobcentre-peers"),
    path("kommune/<str:code>/rapporter/", report_views.municipality_reports, name="reports-municipality"),
    path("jobcenter/<slug:slug>/rapporter/", report_views.jobcentre_reports, name="reports-jobcentre"),
    path("kommune/<str:code>/rapporter/tekster/", report_views.municipality_texts, name="reports-texts-municipality"),
    path("jobcenter/<slug:slug>/rapporter/tekster/", report_views.jobcentre_texts, name="reports-texts-jobcentre"),
    path("rapport/<int:pk>/", report_views.report, name="reports-report"),
    path("rapport/<int:pk>/status/", report_views.report_status, name="reports-report-status"),
    path("rapport/<int:pk>/hent/", report_views.download, name="reports-download"),
    path("grupper/", dashboard_views.groups, name="dashboard-groups"),
    path("grupper/<slug:code>/", dashboard_views.group, name="dashboard-group"),
    path("graf/<int:pk>.csv", dashboard_views.chart_csv, name="dashboard-chart-csv"),
    path("sammenligning/", dashboard_views.comparison, name="dashboard-comparison"),
    path("benchmark/", dashboard_views.benchmark_page, name="dashboard-benchmark"),
    path("import/", indicator_views.import_runs, name="indicators-import-runs"),
    path("import/<int:pk>/", indicator_views.import_run, name="indicators-import-run"),
    path("import/<int:pk>/status/", indicator_views.import_run_status, name="indicators-import-run-status"),
    path("konto/log-ind/", municipality_views.LoginView.as_view(), name="login"),
    path("konto/log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("api/v1/", include("indicators.api_urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", site_views.favicon, name="favicon"),
]
