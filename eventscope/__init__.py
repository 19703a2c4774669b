"""eventscope: political event data from news, with the evidence for every event."""

__version__ = "0.1.0"
