"""The ontology's terms as a closed rdflib namespace: ``POL.Typo`` raises ``AttributeError``.

Kept equal to ``ontology/policy.ttl`` by ``tests/model/test_namespace.py``.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class POL(DefinedNamespace):
    """Policy Explorer ontology terms (``pol:``)."""

    _NS = Namespace("https://w3id.org/policy-explorer/ontology#")
    _fail = True

    # classes
    BillingCode: URIRef
    CareSetting: URIRef
    Citation: URIRef
    CodeListing: URIRef
    CodeRange: URIRef
    CodeSystem: URIRef
    CriteriaGroup: URIRef
    Criterion: URIRef
    CoverageStatement: URIRef
    CoverageEffect: URIRef
    CoverageStatus: URIRef
    Disease: URIRef
    EvidenceAssessment: URIRef
    Indication: URIRef
    InvestigationalStatement: URIRef
    LineOfBusiness: URIRef
    Laboratory: URIRef
    MedicalPolicy: URIRef
    MedicallyNecessaryStatement: URIRef
    NamedTest: URIRef
    NotMedicallyNecessaryStatement: URIRef
    Payer: URIRef
    PlanProduct: URIRef
    PolicyDate: URIRef
    PolicyHistoryEvent: URIRef
    PolicyVersion: URIRef
    PriorAuthorizationRequirement: URIRef
    PublicationKind: URIRef
    Reference: URIRef
    ReportedFigure: URIRef
    Section: URIRef
    Service: URIRef
    SourceDocument: URIRef
    TextSpan: URIRef
    Topic: URIRef

    # properties
    aboutService: URIRef
    aboutTopic: URIRef
    appliesTo: URIRef
    bcbsaReference: URIRef
    citationOrder: URIRef
    codePattern: URIRef
    combination: URIRef
    minimumCount: URIRef
    conclusion: URIRef
    conditionKind: URIRef
    diseaseConcept: URIRef
    documentText: URIRef
    endOffset: URIRef
    eventDate: URIRef
    eventEnd: URIRef
    evidenceType: URIRef
    figureLabel: URIRef
    fileName: URIRef
    forProduct: URIRef
    hasCitation: URIRef
    hasCondition: URIRef
    hasCriteria: URIRef
    hasCriterion: URIRef
    hasEvidenceAssessment: URIRef
    hasHistoryEvent: URIRef
    hasIndication: URIRef
    hasPriorAuthorization: URIRef
    hasReference: URIRef
    hasSection: URIRef
    hasStatement: URIRef
    hasStatus: URIRef
    heading: URIRef
    highValue: URIRef
    firstCode: URIRef
    lastCode: URIRef
    hasCodeRange: URIRef
    inCodeSystem: URIRef
    excludesRange: URIRef
    inSetting: URIRef
    indicationOf: URIRef
    intervention: URIRef
    isCovered: URIRef
    journal: URIRef
    lineOfBusiness: URIRef
    offeredBy: URIRef
    placeOfServiceCode: URIRef
    testName: URIRef
    plaCode: URIRef
    performedBy: URIRef
    namesTest: URIRef
    listedIn: URIRef
    listsCode: URIRef
    mentionsCode: URIRef
    forLineOfBusiness: URIRef
    reviewedBy: URIRef
    hasCodeListing: URIRef
    listedCode: URIRef
    codeDescription: URIRef
    codeRole: URIRef
    lowValue: URIRef
    marker: URIRef
    mentionedBy: URIRef
    mentionsDisease: URIRef
    ncdLcd: URIRef
    note: URIRef
    originalSha256: URIRef
    retrievedAt: URIRef
    outcome: URIRef
    policyNumber: URIRef
    hasPolicyDate: URIRef
    dateKind: URIRef
    dateValue: URIRef
    policyIdentifier: URIRef
    layoutFamily: URIRef
    population: URIRef
    position: URIRef
    priorAuthorizationOf: URIRef
    priorAuthorizationRequired: URIRef
    priorTreatment: URIRef
    publicationClass: URIRef
    publicationDate: URIRef
    publicationKind: URIRef
    publishedBy: URIRef
    referenceNumber: URIRef
    referenceOf: URIRef
    relatedPolicy: URIRef
    reportsFigure: URIRef
    requiredStatus: URIRef
    sectionName: URIRef
    sha256: URIRef
    sourceDocument: URIRef
    sourceSpan: URIRef
    spanEnd: URIRef
    spanQuote: URIRef
    spanStart: URIRef
    startOffset: URIRef
    statementNumber: URIRef
    statementOf: URIRef
    statusLabel: URIRef
    text: URIRef
    textPattern: URIRef
    unit: URIRef
    versionDate: URIRef


def _terms_as_attributes(namespace: type[DefinedNamespace]) -> None:
    """Store each term of ``namespace`` as a class attribute. A ``DefinedNamespace`` answers
    ``POL.TextSpan`` in its metaclass's ``__getattr__`` (Python, on every access: 9,000 a document
    while building its graph); an attribute is read directly. The values are the namespace's own
    (``POL["TextSpan"]``), and a name outside the ontology still raises ``AttributeError``."""
    for name in namespace.__annotations__:
        type.__setattr__(namespace, name, namespace[name])


_terms_as_attributes(POL)
