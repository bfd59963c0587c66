"""The budget's facts and figures.

- vocabulary.py: every budget term (funds, kinds of expenditure, 三公, assets, procurement) and its words;
- money.py: Decimal amounts, units, rounding once (ROUND_HALF_UP) and formatting;
- catalogue.py: the classification catalogue (功能分类, 经济分类) and the names of codes;
- model.py: the facts as dataclasses with their source locations;
- tables.py: the table catalogue, every published table's columns;
- compute.py: every table and narrative figure, computed once from the facts.

May import: errors, resources. Nothing else: the figures know nothing of files, documents or commands.
"""
