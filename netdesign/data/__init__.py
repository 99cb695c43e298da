"""Network data: table schemas, loading (CSV/Parquet), validation, and the default study."""
