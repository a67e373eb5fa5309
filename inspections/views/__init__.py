"""Views of the inspection cycle, one module per feature: campaigns, the district workflow, the commune portal."""
