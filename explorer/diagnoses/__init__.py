"""ICD-10-CM diagnoses: check a code against the official release, place it in the official
hierarchy and map it to the disease taxonomy; search codes for the UI."""

from explorer.diagnoses.icd10cm import DiagnosisError
from explorer.diagnoses.lookup import Diagnosis, disease_for_label, lookup_diagnosis
from explorer.diagnoses.search import search_diagnoses

__all__ = ["Diagnosis", "DiagnosisError", "disease_for_label", "lookup_diagnosis", "search_diagnoses"]
