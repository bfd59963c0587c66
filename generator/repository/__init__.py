"""The budget repository: a finance office's git repository of sources.

- discovery.py: the repository found from the working directory (``budgetpub.toml``, or a folder
  whose ``data/`` holds departments), its data and output folders, file names as the user sees them;
- revisions.py: git revisions read as data (``--rev``), and the revision stamped on a publication;
- workspace.py: one department and year loaded, checked and computed, from the working tree or a revision;
- prior_year.py: the prior year from ``data/<dept>/<year-1>/``, checked against what this year states;
- diff.py: the facts that changed between two revisions or two years, and the published figures they move;
- new_year.py, init.py: next year's sources from this year's; a new repository with a skeleton;
- textconv.py: the text of a Word file, for ``git diff``;
- importing/: ``budgetpub import``, a department's sources from its publication (Word, PDF) or from the
  nine tables as a workbook, read with the verifier's reader.

May import: errors, resources, figures, sources, document, and verify (its reader of publications, for
import: one reader of Word and PDF, not two). Not the command line or the formats.
"""
