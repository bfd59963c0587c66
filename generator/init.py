"""placeholder"""
def arguments(p):
    pass
def run(args):
    return 0
