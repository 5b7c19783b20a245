from django.urls import path, re_path

from complaints.api import casework, reference, reporter, views

app_name = "api"

urlpatterns = (
    [
        path("complaints/", views.ComplaintListCreate.as_view(), name="complaints"),
        path("agencies/", reference.AgencyList.as_view(), name="agencies"),
        path("sla-policies/", reference.SlaPolicies.as_view(), name="sla-policies"),
        path(
            "sla-policies/<int:policy_id>/", reference.SlaPolicyDetail.as_view(), name="sla-policy"
        ),
        path("calendar/days/", reference.CalendarImport.as_view(), name="calendar-import"),
        path("calendar/<int:year>/", reference.CalendarDays.as_view(), name="calendar"),
        path(
            "agencies/<int:agency_id>/categories/",
            reference.AgencyCategories.as_view(),
            name="agency-categories",
        ),
        re_path(
            r"^complaints/(?P<number>[^/]+)/$", views.ComplaintDetail.as_view(), name="complaint"
        ),
        re_path(
            r"^complaints/(?P<number>[^/]+)/events/$",
            views.ComplaintEvents.as_view(),
            name="complaint-events",
        ),
        re_path(
            r"^complaints/(?P<number>[^/]+)/attachments/(?P<attachment_id>[0-9]{1,9})/$",
            views.ComplaintAttachment.as_view(),
            name="complaint-attachment",
        ),
        re_path(
            r"^complaints/(?P<number>[^/]+)/reporter/timeline/$",
            reporter.ReporterTimeline.as_view(),
            name="reporter-timeline",
        ),
    ]
    + [
        re_path(
            rf"^complaints/(?P<number>[^/]+)/{name}/$",
            casework.action_view(name),
            name=f"complaint-{name}",
        )
        for name in casework.ACTIONS
    ]
    + [
        re_path(
            rf"^complaints/(?P<number>[^/]+)/reporter/{name}/$",
            reporter.reporter_view(name),
            name=f"reporter-{name}",
        )
        for name in reporter.ACTIONS
    ]
)
