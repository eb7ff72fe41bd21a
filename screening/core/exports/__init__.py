"""Exports for clinicians (pure): FHIR R4 (`fhir`) and CSV (`spreadsheet`)."""

from .fhir import SOURCES, fhirpath, questionnaire
from .fhir_response import questionnaire_response
from .spreadsheet import CSV_HEADER, csv_lines, csv_rows, each_csv_row, escape_cell, to_csv

__all__ = [
    "CSV_HEADER",
    "SOURCES",
    "csv_lines",
    "csv_rows",
    "each_csv_row",
    "escape_cell",
    "fhirpath",
    "questionnaire",
    "questionnaire_response",
    "to_csv",
]
