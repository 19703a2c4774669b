"""Code for a subprocess: makes modules look not installed, as in an install without an optional extra."""

NOT_INSTALLED = """
import sys
class NotInstalled:
    def __init__(self, *names):
        self.names = names
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
"""
