"""Word lists the synthetic corpus generator draws from (services, codes, references, history).

Codes are real: CPT and HCPCS codes used for cell therapy and transplantation, and ICD-10-CM codes
with their official descriptions (checked against simple-icd-10-cm).  Nothing here is read from a
policy; diseases and products come from the vocabularies at generation time.
"""

from __future__ import annotations

SERVICES: tuple[str, ...] = (
    "Donor lymphocyte infusion",
    "Allogeneic hematopoietic cell transplantation",
    "Autologous hematopoietic cell transplantation",
    "Tandem autologous transplantation",
    "Umbilical cord blood transplantation",
    "Chimeric antigen receptor T-cell therapy",
    "Extracorporeal photopheresis",
    "Natural killer cell infusion",
    "Reduced-intensity conditioning",
    "Genetic modification of donor lymphocytes",
    "Minimal residual disease testing",
    "Gene expression profiling",
    "Next-generation sequencing panel testing",
    "Bispecific antibody therapy",
    "Virus-specific T-cell infusion",
    "Mesenchymal stem cell infusion",
)

# status slug -> how a policy prints it (always in capitals, in bold on the web)
STATUSES: tuple[tuple[str, str], ...] = (
    ("medically-necessary", "MEDICALLY NECESSARY"),
    ("investigational", "INVESTIGATIONAL"),
    ("not-medically-necessary", "NOT MEDICALLY NECESSARY"),
    ("not-covered", "NOT COVERED"),
    ("cosmetic", "COSMETIC"),
)
STATUS_WEIGHTS: tuple[int, ...] = (6, 6, 3, 1, 1)

VERBS: tuple[str, ...] = ("is", "may be", "is considered", "may be considered")

# Indication templates; "{d}" is a disease label.  None of them contains a comma followed by
# to/for/as/in, so each stays one indication.
DISEASE_INDICATIONS: tuple[str, ...] = (
    "for the treatment of {d} that has relapsed or is refractory",
    "for the treatment of {d}",
    "as a treatment of {d}",
    "as consolidation therapy for {d} in first remission",
    "in patients with {d} who are not candidates for intensive chemotherapy",
)
PLAIN_INDICATIONS: tuple[str, ...] = (
    "to prevent relapse in the setting of a high risk of relapse",
    "to convert a patient from mixed to full donor chimerism",
    "to reduce the risk of graft failure",
    "to restore immune function after transplant",
)
PRIOR_STATUS_CLAUSE = (
    "following allogeneic-hematopoietic cell transplantation (HCT) that was originally considered {s}"
)
PRIOR_SUBJECTS: tuple[str, ...] = ("allogeneic HCT", "autologous HCT", "course of induction chemotherapy")

# product label -> (how the member line prints it, how a table row prints it, line of business)
PRODUCTS: tuple[tuple[str, str, str, str], ...] = (
    ("Commercial Managed Care (HMO and POS)", "Managed Care (HMO and POS)", "Commercial Managed Care (HMO and POS)",
     "commercial"),
    ("Commercial PPO and Indemnity", "PPO, and Indemnity", "Commercial PPO and Indemnity", "commercial"),
    ("Medicare HMO Blue", "Medicare HMO BlueSM", "Medicare HMO Blue SM", "medicare"),
    ("Medicare PPO Blue", "Medicare PPO BlueSM", "Medicare PPO Blue SM", "medicare"),
)

# (text of the cell, required)
PRIOR_AUTH_CELLS: tuple[tuple[str, bool], ...] = (
    ("Prior authorization is not required .", False),
    ("Prior authorization is required .", True),
    ("Prior authorization is required through the utilization management vendor; "
     "requirements are member-specific.", True),
)

CPT_CODES: tuple[tuple[str, str], ...] = (
    ("38242", "Bone marrow or blood-derived peripheral stem cell transplantation; "
              "allogeneic donor lymphocyte infusions"),
    ("38240", "Hematopoietic progenitor cell (HPC); allogeneic transplantation per donor"),
    ("38241", "Hematopoietic progenitor cell (HPC); autologous transplantation"),
    ("38243", "Hematopoietic progenitor cell (HPC); HPC boost"),
    ("38205", "Blood-derived hematopoietic progenitor cell harvesting for transplantation, per collection; allogeneic"),
    ("38206", "Blood-derived hematopoietic progenitor cell harvesting for transplantation, per collection; autologous"),
    ("38232", "Bone marrow harvesting for transplantation; autologous"),
    ("36522", "Photopheresis, extracorporeal"),
    ("81450", "Targeted genomic sequence analysis panel, hematolymphoid neoplasm or disorder"),
    ("81455", "Targeted genomic sequence analysis panel, solid organ or hematolymphoid neoplasm"),
    ("88184", "Flow cytometry, cell surface, cytoplasmic, or nuclear marker, technical component only; first marker"),
    ("0537T", "Chimeric antigen receptor T-cell (CAR-T) therapy; harvesting of blood-derived T lymphocytes"),
)
HCPCS_CODES: tuple[tuple[str, str], ...] = (
    ("Q2041", "Axicabtagene ciloleucel, up to 200 million autologous anti-CD19 CAR positive viable T cells"),
    ("Q2042", "Tisagenlecleucel, up to 600 million CAR-positive viable T cells"),
    ("Q2053", "Brexucabtagene autoleucel, up to 200 million autologous anti-CD19 CAR positive viable T cells"),
    ("S2140", "Cord blood harvesting for transplantation, allogeneic"),
    ("S2142", "Cord blood-derived stem-cell transplantation, allogeneic"),
    ("S2150", "Bone marrow or blood-derived stem cells (peripheral or umbilical), allogeneic or autologous, "
              "harvesting"),
)
ICD10CM_CODES: tuple[tuple[str, str], ...] = (
    ("C81.10", "Nodular sclerosis Hodgkin lymphoma, unspecified site"),
    ("C81.90", "Hodgkin lymphoma, unspecified, unspecified site"),
    ("C83.30", "Diffuse large B-cell lymphoma, unspecified site"),
    ("C85.90", "Non-Hodgkin lymphoma, unspecified, unspecified site"),
    ("C90.00", "Multiple myeloma not having achieved remission"),
    ("C90.02", "Multiple myeloma in relapse"),
    ("C91.00", "Acute lymphoblastic leukemia not having achieved remission"),
    ("C91.02", "Acute lymphoblastic leukemia, in relapse"),
    ("C91.10", "Chronic lymphocytic leukemia of B-cell type not having achieved remission"),
    ("C92.00", "Acute myeloblastic leukemia, not having achieved remission"),
    ("C92.02", "Acute myeloblastic leukemia, in relapse"),
    ("C92.10", "Chronic myeloid leukemia, BCR/ABL-positive, not having achieved remission"),
    ("C92.12", "Chronic myeloid leukemia, BCR/ABL-positive, in relapse"),
    ("C93.10", "Chronic myelomonocytic leukemia not having achieved remission"),
    ("D46.9", "Myelodysplastic syndrome, unspecified"),
    ("D47.1", "Chronic myeloproliferative disease"),
    ("D89.810", "Acute graft-versus-host disease"),
    ("D89.811", "Chronic graft-versus-host disease"),
)

HISTORY_ACTIONS: tuple[str, ...] = (
    "Annual policy review. New references added.",
    "Annual policy review. No changes to policy statements.",
    "Prior authorization information clarified.",
    "Clarified coding information.",
    "New medical policy describing medically necessary and investigational indications.",
    "Policy statements clarified; intent unchanged.",
    "Medical policy ICD 10 remediation: Formatting, editing and coding updates. No changes to policy statements.",
    "Coding information updated with new codes effective this quarter.",
)

SURNAMES: tuple[str, ...] = (
    "Deol", "Lum", "Tomblyn", "Lazarus", "Porter", "Giralt", "Simula", "Marktel", "Dazzi", "Szydlo",
    "Guglielmi", "Fozza", "Radujkovic", "Reljic", "Kumar", "Schmid", "Labopin", "Nagler", "Bejanyan",
    "Weisdorf", "Warlick", "Schroeder", "Morris", "Peggs", "Sureda", "Lokhorst", "Salama", "Collins",
    "Bensinger", "Ciceri", "Bonini", "Fowler", "Hashimoto", "Kitano", "van den Brink", "El-Jurdi",
)
JOURNALS: tuple[str, ...] = (
    "Blood", "Biol Blood Marrow Transplant", "Bone Marrow Transplant", "J Clin Oncol", "Br J Haematol",
    "Leukemia", "Haematologica", "Transplant Cell Ther", "Cancer Treat Rev", "Lancet Haematol",
)
STUDY_DESIGNS: tuple[str, ...] = (
    "a retrospective analysis", "a prospective phase 2 study", "a registry study",
    "a systematic review and meta-analysis", "a multicenter cohort study", "a single-center experience",
)
ORGANISATIONS: tuple[tuple[str, str], ...] = (
    ("National Comprehensive Cancer Network (NCCN)", "http://www.nccn.org/professionals/physician_gls/pdf/{slug}.pdf"),
    ("American Society for Transplantation and Cellular Therapy", "https://www.astct.org/guidelines/{slug}"),
)
MONTHS: tuple[str, ...] = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

EVIDENCE_TYPES: tuple[str, ...] = (
    "nonrandomized comparative studies and case series",
    "randomized controlled trials and observational studies",
    "case series",
    "a systematic review and retrospective cohort studies",
)
OUTCOMES: tuple[str, ...] = (
    "overall survival and change in disease status",
    "overall survival, disease-specific survival, and treatment-related mortality",
    "quality of life and treatment-related morbidity",
)
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
