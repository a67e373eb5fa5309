"""Forms of the inspection cycle, one module per feature."""
