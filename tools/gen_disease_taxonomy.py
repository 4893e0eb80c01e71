"""Generate the solid-tumour, hereditary-syndrome and cardiac part of data/vocab/diseases.ttl.

Each disease is placed by hand (its broader disease, its labels and abbreviations); its ICD-10-CM
range is given as first/last category and *checked* against simple-icd-10-cm: every bound must be
a real category or subcategory, and the official description of each bound is printed as a comment
beside the range so a reader sees what it covers.  Histological subtypes that ICD-10-CM does not
distinguish (non-small cell vs small cell lung cancer, triple-negative breast cancer) get no range:
a diagnosis cannot tell them apart, so the taxonomy does not pretend it can.

    python tools/gen_disease_taxonomy.py > /tmp/part.ttl   (then paste it between the markers)
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import simple_icd_10_cm as icd

# slug, broader, prefLabel, altLabels, ICD-10-CM ranges [(first, last)]
SOLID = "nonhematologic-malignancy"
DISEASES = [
    ("lung-cancer", SOLID, "lung cancer", ["lung carcinoma", "lung cancers", "cancer of the lung",
                                            "bronchogenic carcinoma", "lung adenocarcinoma"], [("C34", "C34")]),
    ("non-small-cell-lung-cancer", "lung-cancer", "non-small cell lung cancer",
     ["NSCLC", "non-small-cell lung cancer", "nonsmall cell lung cancer", "non-small cell lung carcinoma",
      "non-small-cell lung carcinoma"], []),
    ("small-cell-lung-cancer", "lung-cancer", "small cell lung cancer",
     ["SCLC", "small-cell lung cancer", "small cell lung carcinoma"], []),
    ("breast-cancer", SOLID, "breast cancer", ["breast carcinoma", "carcinoma of the breast", "cancer of the breast",
                                                "breast cancers", "invasive breast cancer"], [("C50", "C50")]),
    ("colorectal-cancer", SOLID, "colorectal cancer", ["CRC", "colorectal carcinoma", "colorectal cancers",
                                                        "mCRC", "metastatic colorectal cancer"], [("C18", "C20")]),
    ("colon-cancer", "colorectal-cancer", "colon cancer", ["colon carcinoma", "cancer of the colon"], [("C18", "C18")]),
    ("rectal-cancer", "colorectal-cancer", "rectal cancer", ["rectal carcinoma", "cancer of the rectum"],
     [("C20", "C20")]),
    ("anal-cancer", SOLID, "anal cancer", ["anal carcinoma", "anal squamous cell carcinoma",
                                           "cancer of the anus"], [("C21", "C21")]),
    ("prostate-cancer", SOLID, "prostate cancer", ["prostate carcinoma", "prostatic adenocarcinoma",
                                                    "mCRPC", "metastatic castration-resistant prostate cancer",
                                                    "castration-resistant prostate cancer", "CRPC"], [("C61", "C61")]),
    ("pancreatic-cancer", SOLID, "pancreatic cancer", ["pancreatic adenocarcinoma", "pancreatic carcinoma",
                                                        "pancreatic ductal adenocarcinoma", "PDAC",
                                                        "cancer of the pancreas"], [("C25", "C25")]),
    ("melanoma", SOLID, "melanoma", ["cutaneous melanoma", "malignant melanoma", "melanoma of the skin"],
     [("C43", "C43")]),
    ("uveal-melanoma", SOLID, "uveal melanoma", ["ocular melanoma", "choroidal melanoma"], [("C69.3", "C69.4")]),
    ("ovarian-cancer", SOLID, "ovarian cancer", ["ovarian carcinoma", "epithelial ovarian cancer",
                                                  "cancer of the ovary"], [("C56", "C56")]),
    ("bladder-cancer", SOLID, "bladder cancer", ["urinary bladder cancer", "bladder carcinoma",
                                                  "muscle invasive bladder cancer", "MIBC"], [("C67", "C67")]),
    ("urothelial-carcinoma", SOLID, "urothelial carcinoma", ["urothelial cancer", "transitional cell carcinoma"],
     [("C65", "C68")]),
    ("kidney-cancer", SOLID, "kidney cancer", ["renal cell carcinoma", "RCC", "renal cancer"], [("C64", "C64")]),
    ("thyroid-cancer", SOLID, "thyroid cancer", ["thyroid carcinoma", "cancer of the thyroid",
                                                  "thyroid nodule malignancy"], [("C73", "C73")]),
    ("gastric-cancer", SOLID, "gastric cancer", ["stomach cancer", "gastric adenocarcinoma", "gastric carcinoma"],
     [("C16", "C16")]),
    ("esophageal-cancer", SOLID, "esophageal cancer", ["esophageal carcinoma", "oesophageal cancer",
                                                        "cancer of the esophagus"], [("C15", "C15")]),
    ("liver-cancer", SOLID, "liver cancer", ["hepatocellular carcinoma", "HCC", "liver cell carcinoma"],
     [("C22.0", "C22.0")]),
    ("biliary-tract-cancer", SOLID, "biliary tract cancer", ["biliary tract carcinoma", "cholangiocarcinoma",
                                                              "bile duct cancer", "gallbladder cancer"],
     [("C22.1", "C22.1"), ("C23", "C24")]),
    ("head-and-neck-cancer", SOLID, "head and neck cancer", ["head and neck cancers",
                                                              "head and neck squamous cell carcinoma", "HNSCC"],
     [("C00", "C14"), ("C30", "C32")]),
    ("oropharyngeal-cancer", "head-and-neck-cancer", "oropharyngeal cancer",
     ["oropharyngeal carcinoma", "oropharyngeal squamous cell carcinoma", "HPV-driven oropharyngeal cancer",
      "cancer of the oropharynx"], [("C10", "C10")]),
    ("cervical-cancer", SOLID, "cervical cancer", ["cervical carcinoma", "cancer of the cervix"], [("C53", "C53")]),
    ("endometrial-cancer", SOLID, "endometrial cancer", ["endometrial carcinoma", "uterine cancer",
                                                          "cancer of the endometrium"], [("C54", "C55")]),
    ("brain-tumor", SOLID, "brain tumor", ["glioma", "gliomas", "glioblastoma", "brain cancer",
                                            "malignant brain tumor"], [("C71", "C71")]),
    ("sarcoma", SOLID, "sarcoma", ["soft tissue sarcoma", "sarcomas", "bone sarcoma"],
     [("C40", "C41"), ("C49", "C49")]),
    ("merkel-cell-carcinoma", SOLID, "Merkel cell carcinoma", ["Merkel cell cancer"], [("C4A", "C4A")]),
    ("mesothelioma", SOLID, "mesothelioma", ["malignant mesothelioma", "pleural mesothelioma"], [("C45", "C45")]),
    ("neuroendocrine-tumor", SOLID, "neuroendocrine tumor", ["neuroendocrine tumors", "carcinoid tumor",
                                                             "neuroendocrine neoplasm"], [("C7A", "C7A")]),
    ("testicular-cancer", SOLID, "testicular cancer", ["testicular germ cell tumor", "cancer of the testis"],
     [("C62", "C62")]),
    ("cancer-of-unknown-primary", SOLID, "cancer of unknown primary", ["unknown primary cancer",
                                                                         "carcinoma of unknown primary"],
     [("C80", "C80")]),
]
HEREDITARY = [
    ("hereditary-cancer-syndrome", None, "hereditary cancer syndrome",
     ["hereditary cancer syndromes", "inherited cancer syndrome", "genetic susceptibility to cancer",
      "cancer susceptibility"], [("Z15.0", "Z15.0")]),
    ("hereditary-breast-and-ovarian-cancer", "hereditary-cancer-syndrome", "hereditary breast and ovarian cancer",
     ["HBOC", "hereditary breast and ovarian cancer syndrome", "BRCA-related cancer"], [("Z15.01", "Z15.02")]),
    ("lynch-syndrome", "hereditary-cancer-syndrome", "Lynch syndrome",
     ["hereditary nonpolyposis colorectal cancer", "HNPCC", "hereditary non-polyposis colorectal cancer"], []),
    ("familial-adenomatous-polyposis", "hereditary-cancer-syndrome", "familial adenomatous polyposis",
     ["FAP", "attenuated familial adenomatous polyposis", "AFAP"], []),
    ("li-fraumeni-syndrome", "hereditary-cancer-syndrome", "Li-Fraumeni syndrome", ["LFS"], []),
]
CARDIAC = [
    ("cardiovascular-disease", None, "cardiovascular disease", ["cardiac disease", "heart disease"],
     [("I00", "I99")]),
    ("cardiomyopathy", "cardiovascular-disease", "cardiomyopathy", ["cardiomyopathies"], [("I42", "I43")]),
    ("hypertrophic-cardiomyopathy", "cardiomyopathy", "hypertrophic cardiomyopathy",
     ["HCM", "familial hypertrophic cardiomyopathy"], [("I42.1", "I42.2")]),
    ("dilated-cardiomyopathy", "cardiomyopathy", "dilated cardiomyopathy",
     ["DCM", "familial dilated cardiomyopathy"], [("I42.0", "I42.0")]),
    ("long-qt-syndrome", "cardiovascular-disease", "long QT syndrome", ["LQTS", "congenital long QT syndrome"],
     [("I45.81", "I45.81")]),
    ("heart-failure", "cardiovascular-disease", "heart failure", ["congestive heart failure"], [("I50", "I50")]),
    ("coronary-artery-disease", "cardiovascular-disease", "coronary artery disease",
     ["CAD", "ischemic heart disease"], [("I20", "I25")]),
    ("heart-transplant-rejection", "cardiovascular-disease", "heart transplant rejection",
     ["cardiac allograft rejection", "heart transplant failure"], [("T86.2", "T86.2")]),
]


def _check(code: str) -> str:
    if not icd.is_valid_item(code):
        raise SystemExit(f"not an ICD-10-CM code: {code}")
    return icd.get_description(code)


def _range_iri(first: str, last: str) -> str:
    return f"icd:{first}" if first == last else f"icd:{first}-{last}"


def main() -> None:
    ranges: dict[str, tuple[str, str]] = {}
    print("# ---- generated by tools/gen_disease_taxonomy.py (codes checked with simple-icd-10-cm) ----")
    for rows, top in ((DISEASES, None), (HEREDITARY, "hereditary"), (CARDIAC, "cardiac")):
        for slug, broader, label, alts, codes in rows:
            lines = [f"dis:{slug} a owl:Class, skos:Concept ; skos:inScheme vocab:diseases ;"]
            if broader:
                lines.append(f"    rdfs:subClassOf dis:{broader} ; skos:broader dis:{broader} ;")
            else:
                lines.append("    rdfs:subClassOf pol:Disease ; skos:topConceptOf vocab:diseases ;")
            lines.append(f'    skos:prefLabel "{label}"@en ; rdfs:label "{label}"@en ;')
            if alts:
                lines.append("    skos:altLabel " + ", ".join(f'"{a}"@en' for a in alts) + " ;")
            for first, last in codes:
                lines.append(f"    # {first}: {_check(first)}" + (f" .. {last}: {_check(last)}" if last != first else ""))
                ranges[_range_iri(first, last)] = (first, last)
            if codes:
                lines.append("    pol:hasCodeRange " + ", ".join(_range_iri(f, t) for f, t in codes) + " .")
            else:
                lines[-1] = lines[-1].rstrip(" ;") + " ."
            print("\n".join(lines) + "\n")
    for iri, (first, last) in sorted(ranges.items()):
        print(f'{iri} a pol:CodeRange ; pol:inCodeSystem cs:icd-10-cm ;\n    pol:firstCode "{first}" ; pol:lastCode "{last}" .')


if __name__ == "__main__":
    main()
