"""spaCy components of interview_diag."""
