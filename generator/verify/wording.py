"""Stub."""
AUTHORED = ()
def check_document(ck, doc):
    pass
