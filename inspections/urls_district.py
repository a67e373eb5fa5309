"""URLs of the district workflow: setting up a round, appraisal, minutes, conclusions, dashboard."""

urlpatterns = []
