"""Publishing formats: the rendered document written as .docx, .pdf and .xlsx.

- publish.py: one department in the requested formats, verified before anything is written;
- output.py: where files go and how they are written (atomically, never over a protected file);
- libreoffice.py, lo_worker.py, fontfaces.py: LibreOffice for the contents' page numbers and the
  PDF, with the Chinese (SC) faces;
- xlsx.py: the tables as an Excel workbook.

May import: errors, resources, figures, document, verify.
"""
