"""Exports: certificates (one file per person and/or one merged file), the session summary, the
programme report and the register as CSV, one module each; `files` and `ratings` hold what they
share.

Every file is written through a temp file in the same folder and renamed into place, so a
crash, a full disk or a Cancel never leaves a half-written file, and an earlier export of the
same name survives a failed one. Long exports report progress and can be cancelled.

Callers use the names below (`exports.export_csv(...)`); the modules are the export's own code.
"""

from amie_desktop.services.exports.certificates import (
    CertificateExport,
    LeftOut,
    UnprintableNamesError,
    certificate_file_name,
    check_printable,
    export_certificates,
    left_out_sentence,
)
from amie_desktop.services.exports.files import (
    MAX_NAME_BYTES,
    ExportCancelled,
    Progress,
    safe_file_name,
)
from amie_desktop.services.exports.programme import (
    PROGRAMME_CSV_HEADER,
    ProgrammeExport,
    export_programme,
    export_programme_csv,
    programme_data,
    programme_rows,
)
from amie_desktop.services.exports.register_csv import (
    CSV_HEADER,
    CsvExport,
    csv_text,
    export_csv,
    register_rows,
)
from amie_desktop.services.exports.summary import SummaryExport, export_summary, summary_data

__all__ = [
    "CSV_HEADER", "MAX_NAME_BYTES", "PROGRAMME_CSV_HEADER", "CertificateExport", "CsvExport",
    "ExportCancelled", "LeftOut", "ProgrammeExport", "Progress", "SummaryExport",
    "UnprintableNamesError", "certificate_file_name", "check_printable", "csv_text",
    "export_certificates", "export_csv", "export_programme", "export_programme_csv",
    "export_summary", "left_out_sentence", "programme_data", "programme_rows", "register_rows",
    "safe_file_name", "summary_data",
]  # fmt: skip
