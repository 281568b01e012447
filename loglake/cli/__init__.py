"""The ``loglake`` command."""
