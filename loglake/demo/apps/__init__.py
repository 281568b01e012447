"""Application log output of the sample functions, one module per runtime and logger."""
