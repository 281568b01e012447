"""loglake: AWS Lambda logs and X-Ray trace summaries in an open Parquet lake."""

__version__ = "0.1.0"
