"""URLs of the reports: requests, progress and permission-checked downloads."""

app_name = "reports"

urlpatterns = []
