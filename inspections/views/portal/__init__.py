"""Views of the commune portal: self-assessment and evidence, remedies, questions."""
