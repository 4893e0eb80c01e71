"""`coverage`: is this code covered for this diagnosis, product and setting, and is prior auth needed?"""

from __future__ import annotations

import json

import click

from explorer.cli.common import handle_errors, open_cli_store, store_option
from explorer.determination.model import logic_words


@click.command()
@click.option("--code", required=True, help="Billing code, e.g. 38242 (CPT).")
@click.option("--diagnosis", help="ICD-10-CM diagnosis code, e.g. C92.10.")
@click.option("--product", help='Plan product, e.g. "Medicare PPO Blue" (prior authorization is per product).')
@click.option("--setting", help="Care setting: inpatient or outpatient.")
@click.option("--line-of-business", "line_of_business",
              help="Line of business, e.g. Commercial, Medicare, Medicaid, Marketplace "
                   "(when the payer has no products).")
@click.option("--prior-hct", help="Status of the prior allogeneic HCT: medically-necessary or investigational.")
@click.option("--service", help="The service ordered when the policy has several for the code, e.g. "
                                "\"genetic modification of donor lymphocytes\" (default: the one the code names).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
@handle_errors
def coverage(code: str, diagnosis: str | None, product: str | None, setting: str | None, prior_hct: str | None,
             service: str | None, line_of_business: str | None, fmt: str, store_url: str | None) -> None:
    """The determination, its conditions, prior authorization, the sentences and evidence behind it."""
    from explorer.determination import determine

    with open_cli_store(store_url) as store:
        answer = determine(store, code=code, diagnosis=diagnosis, product=product, setting=setting,
                           prior_hct=prior_hct, service=service, line_of_business=line_of_business)
    data = answer.to_json()
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    head = data["determination"].upper().replace("-", " ") + (" (conditional)" if data["conditional"] else "")
    asked = [code, diagnosis or "any diagnosis", answer.product or answer.line_of_business or "any product",
             answer.setting or "any setting"]
    click.echo(f"{' / '.join(asked)}: {head}")
    if data["policy"]:
        click.echo(f"Policy {data['policy']['number']}: {data['policy']['title']}")
    if data["diagnosis"]:
        d = data["diagnosis"]
        diseases = ", ".join(d["diseases"]) or "no disease in the taxonomy"
        click.echo(f"Diagnosis {d['code']}: {d['description']} -> {diseases}")
    if answer.service:
        click.echo(f"Service: {answer.service.replace('-', ' ')}")
    for line in criteria_lines(data["conditions"], data["indications"], data["criteria_logic"]):
        click.echo(f"  {line}")
    if data["criteria"]:
        click.echo(f"Criteria ({logic_words(data['criteria']['logic']) or 'as listed'}):")
        for line in tree_lines(data["criteria"]["items"]):
            click.echo(f"  {line}")
    if data["per_indication"]:
        click.echo("Per indication (a diagnosis decides which applies):")
        for s in data["per_indication"]:
            scope = ", ".join(d.replace("-", " ") for d in s["diseases"]) or "any diagnosis"
            click.echo(f"  statement {s['number']} [{s['status']}] for {scope}")
            for line in criteria_lines(s["conditions"], s["indications"], s["criteria_logic"]):
                click.echo(f"    {line}")
    pa = data["prior_authorization"]
    pa_text = {True: "required", False: "not required", None: "not stated"}[pa["required"]]
    if pa["required"] is None and pa["note"]:  # unknown, and the note says why ("depends on the setting: ...")
        click.echo(f"Prior authorization: {pa['note']}")
    else:
        click.echo(f"Prior authorization: {pa_text}" + (f" ({pa['note']})" if pa["note"] else ""))
    for s in data["statements"]:
        src = s["source"]
        click.echo(f"  [{s['status']}] chars {src['start']}-{src['end']}: \"{src['quote']}\"")
    pmids = [e for e in data["evidence"] if e["pmid"]]
    if pmids:
        click.echo("Evidence: " + ", ".join(f"PMID {e['pmid']}" for e in pmids))
    click.echo(f"CRD: covered={data['crd']['covered']}, pa-needed={data['crd']['pa-needed']}")
    for note in data["notes"]:
        click.echo(f"note: {note}")


def tree_lines(items: list[dict], depth: int = 0) -> list[str]:
    """The criteria tree, one line a criterion, nested groups indented with their logic."""
    lines = []
    for item in items:
        words = logic_words(item["logic"])
        logic = f" ({words})" if words else ""
        lines.append(f"{'  ' * depth}- {item['text']}{logic}")
        lines += tree_lines(item["items"], depth + 1)
    return lines


LOGIC_WORDS = {"any-of": "any one of these indications", "all-of": "all of these indications",
               None: "the indications (the policy does not say whether any or all)"}


def criteria_lines(conditions: list[str], indications: list[str], logic: str | None) -> list[str]:
    """Conditions (each required) and indications with the logic the policy states, in its order."""
    lines = [f"condition: {c}" for c in conditions]
    if len(indications) == 1:
        lines.append(f"{'and ' if conditions else ''}indication: {indications[0]}")
    elif indications:
        lines.append(f"{'and ' if conditions else ''}{LOGIC_WORDS.get(logic, LOGIC_WORDS[None])}:")
        lines.extend(f"  - {i}" for i in indications)
    return lines


def register(cli: click.Group) -> None:
    cli.add_command(coverage)
