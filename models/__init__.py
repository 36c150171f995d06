"""The shipped classifier: model.joblib and manifest.json, installed as interview_diag.models.

Retrain with ``python -m interview_diag.model.train --data data/corpus --out models``;
the steps are listed in ``interview_diag/model/artifact.py``.
"""
