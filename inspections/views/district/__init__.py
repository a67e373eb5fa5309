"""Views of the district workflow: set-up, appraisal workspace, closing a visit, dashboard, new campaign."""
