"""Writes that apply the rules of the inspection cycle, one module per feature."""
