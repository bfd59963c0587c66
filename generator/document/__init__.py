"""The document: the publication as a Word package.

- context.py: the figures formatted for the page, per scope (the department, each unit);
- prose.py: the texts of the sources, with their live figures (``{{ 基本支出 }}``), in a sandbox;
- render.py, direct.py: the template rendered (docxtpl's output, made directly in linear time);
- package.py, ooxml.py, toc.py: properties and dates, OOXML order and text, the contents field;
- template_builder.py, template_blocks.py: templates/publication.docx built from the table
  catalogue, the wording and templates/reference.docx.

May import: errors, resources, figures. Not the sources' reading, the formats or the verifier.
"""
