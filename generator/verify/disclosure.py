"""Stub."""
def check_document(ck, doc, layout):
    pass
