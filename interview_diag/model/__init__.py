"""The mistake classifier: training data, features, training, metrics and the artifact."""
