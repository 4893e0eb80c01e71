"""`coverage`: is this code covered for this diagnosis, product and setting, and is prior auth needed?"""

from __future__ import annotations

import json

import click

from explorer.cli.common import handle_errors, open_cli_store, store_option


@click.command()
@click.option("--code", required=True, help="Billing code, e.g. 38242 (CPT).")
@click.option("--diagnosis", help="ICD-10-CM diagnosis code, e.g. C92.10.")
@click.option("--product", required=True, help='Plan product, e.g. "Medicare PPO Blue".')
@click.option("--setting", required=True, help="Care setting: inpatient or outpatient.")
@click.option("--prior-hct", help="Status of the prior allogeneic HCT: medically-necessary or investigational.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
@handle_errors
def coverage(code: str, diagnosis: str | None, product: str, setting: str, prior_hct: str | None, fmt: str,
             store_url: str | None) -> None:
    """The determination, its conditions, prior authorization, the sentences and evidence behind it."""
    from explorer.determination import determine

    with open_cli_store(store_url) as store:
        answer = determine(store, code=code, diagnosis=diagnosis, product=product, setting=setting,
                           prior_hct=prior_hct)
    data = answer.to_json()
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    head = data["determination"].upper().replace("-", " ") + (" (conditional)" if data["conditional"] else "")
    click.echo(f"{code} / {diagnosis or 'any diagnosis'} / {answer.product} / {answer.setting}: {head}")
    if data["policy"]:
        click.echo(f"Policy {data['policy']['number']}: {data['policy']['title']}")
    if data["diagnosis"]:
        d = data["diagnosis"]
        diseases = ", ".join(d["diseases"]) or "no disease in the taxonomy"
        click.echo(f"Diagnosis {d['code']}: {d['description']} -> {diseases}")
    for condition in data["conditions"]:
        click.echo(f"  condition: {condition}")
    pa = data["prior_authorization"]
    pa_text = {True: "required", False: "not required", None: "not stated"}[pa["required"]]
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


def register(cli: click.Group) -> None:
    cli.add_command(coverage)
