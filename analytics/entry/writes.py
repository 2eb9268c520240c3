"""Writes from the data-entry forms and uploads: the public face of ``analytics.entry``.

Pages call ``analytics.entry.writes``; the writes live in one module per kind of form:
``rows`` (validated, versioned, audited row writes), ``lead_forms``, ``project_forms``,
``office_forms`` and ``upload``.
"""

from __future__ import annotations

from analytics.entry.lead_forms import (  # noqa: F401
    decide_lead,
    first_report_of,
    report_lead,
)
from analytics.entry.office_forms import (  # noqa: F401
    TargetEdit,
    add_account,
    remove_account,
    reset_password,
    save_setting,
    save_targets,
)
from analytics.entry.project_forms import (  # noqa: F401
    raise_problem,
    record_fund_arrival,
    resolve_problem,
    update_project_stages,
)
from analytics.entry.rows import (  # noqa: F401
    UNCHANGED,
    EntryError,
    FirstReport,
    FormInvalid,
    NotFound,
    StaleWrite,
    UploadSummary,
    WriteResult,
    fetch_row,
    form_message,
)
from analytics.entry.upload import (  # noqa: F401
    UPLOAD_TABLES,
    import_workbook,
    upload_unit_rows,
)
