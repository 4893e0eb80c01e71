"""The error hierarchy. The library raises these; only the CLI and the app turn them into
messages and exit codes (2 = bad input, 1 = a negative answer such as "does not conform")."""

from __future__ import annotations


class ExplorerError(Exception):
    """Base class of every error the explorer raises on purpose."""


class PolicyParseError(ExplorerError):
    """A document could not be parsed as a policy; names the file, line and section."""

    def __init__(
        self, message: str, *, path: str = "<text>", line: int | None = None, section: str | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.section = section
        self.reason = message
        where = path
        if line is not None:
            where += f", line {line}"
        if section:
            where += f", section {section!r}"
        super().__init__(f"{where}: {message}")


class VocabularyError(ExplorerError):
    """A vocabulary or ontology file is missing or malformed."""


class UnknownCodeError(ExplorerError):
    """A billing or diagnosis code is not valid (e.g. not in ICD-10-CM)."""


class DiagnosisError(UnknownCodeError):
    """A diagnosis is not a valid ICD-10-CM code."""


class UnknownPolicyError(ExplorerError):
    """No policy with this number or IRI is in the store."""


class UnknownTermError(ExplorerError):
    """A product, setting, status or other controlled value is not in the vocabulary."""

    def __init__(self, kind: str, value: str, valid: list[str]) -> None:
        self.kind = kind
        self.value = value
        self.valid = valid
        super().__init__(f"unknown {kind} {value!r}; valid: {', '.join(valid)}")


class QueryError(ExplorerError):
    """A SPARQL query is malformed, refused (not read-only), or exceeded a limit."""


class StoreError(ExplorerError):
    """A store could not be opened, read or written."""


class RDFInputError(ExplorerError):
    """An RDF file could not be parsed; names the file and, where known, the line."""


class IngestFailedError(ExplorerError):
    """Documents that could not be ingested (the others were): each failure names its document."""

    def __init__(self, failures: list[str], store: object = None) -> None:
        super().__init__(f"{len(failures)} document(s) could not be ingested: " + "; ".join(failures))
        self.failures = failures
        self.store = store
