"""The package's foundations, free of TensorFlow: named options and declarative
constraints, atomic file writes, output-location checks, "did you mean"
suggestions, normalisation statistics and the quiet TensorFlow start-up of the
command line."""
