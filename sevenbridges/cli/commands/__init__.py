"""The verbs of ``sbg``, one module per area; each lists its top-level
commands in ``COMMANDS``."""
