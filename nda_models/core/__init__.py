"""The package's foundations, free of TensorFlow: declarative constraints and
name tables (each family's table lives beside its implementation), atomic file
writes, output-location checks, "did you mean" suggestions, normalisation
statistics and the quiet TensorFlow start-up of the command line."""
