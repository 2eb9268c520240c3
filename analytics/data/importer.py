"""Import a contract dataset (DATA_CONTRACT.md): read, validate every rule, write all or nothing.

The public face of the import path; the work is done in four modules:

- ``importer_read``: ``read_source(path)``, a CSV folder or an .xlsx workbook -> raw DataFrames
  (cells as the file holds them; English column names; the index is the row number the user
  sees, header = 1), within the size limits.
- ``importer_validate`` (with ``importer_rules`` and ``importer_refs``): ``validate_frames(frames,
  con)`` / ``validate_table_rows(table, raw, references)``, every value format, key, row rule and
  reference, every error collected (never only the first). A data-entry form validates its rows
  here too, so it accepts and rejects exactly what an import does.
- ``importer_load``: ``load_dataset(path)`` (both of the above: typed DataFrames or
  ``ImportFailed``) and ``import_path(con, path, actor=..., source=...)``, replace-all in one
  transaction, guarded against shrinking a table, audited.
- ``importer_issues``: ``ImportIssue`` (table, row, column, value, expected) and ``ImportFailed``.
"""

from __future__ import annotations

from analytics.data.importer_issues import ImportFailed, ImportIssue
from analytics.data.importer_load import (
    ImportSummary,
    ShrinkRefused,
    TableChange,
    import_path,
    load_dataset,
    load_into_memory,
    write_dataset,
)
from analytics.data.importer_read import read_path, read_source, table_for_label, upload_size_problem
from analytics.data.importer_refs import References
from analytics.data.importer_validate import (
    EXTRA_LABELS,
    ValidationResult,
    validate_frames,
    validate_table_rows,
)
from analytics.data.values import TYPED_DTYPES

# The import benchmark (benchmarks/import_bench.py) times reading on its own under this name.
_read = read_path

__all__ = [
    "EXTRA_LABELS",
    "TYPED_DTYPES",
    "ImportFailed",
    "ImportIssue",
    "ImportSummary",
    "References",
    "ShrinkRefused",
    "TableChange",
    "ValidationResult",
    "import_path",
    "load_dataset",
    "load_into_memory",
    "read_path",
    "read_source",
    "table_for_label",
    "upload_size_problem",
    "validate_frames",
    "validate_table_rows",
    "write_dataset",
]
