"""Writes of the commune portal: self-assessment, evidence, remedies and questions."""
