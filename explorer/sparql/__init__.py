"""SPARQL text, below every layer that sends it: a tokenizer (:mod:`lexer`), the read-only guard
(:mod:`guard`) and the placement of bound values (:mod:`values`).

The stores use it to bind values and re-check the final text; the query layer (catalog, runner) and
the endpoint use it to refuse what is not a read-only query. It depends on rdflib and the errors only.
"""
