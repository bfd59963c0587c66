"""Reading the sources: ``data/<dept>/<year>/*.yaml`` into checked facts.

- reader.py: YAML composed with line and column for every key and value, bounded against hostile input;
- validate.py: the schemas (``schemas/*.yaml``, cerberus), then the rules, then the report;
- facts.py: the model (figures/model.py) built from schema-valid documents, every fact located;
- unfilled.py: the amounts ``init`` and ``new-year`` left marked ``# 待填写``;
- rules/: the cross-checks, one registry, a module per topic.

May import: errors, resources, figures (the model the facts are, the vocabulary, the catalogue).
"""
