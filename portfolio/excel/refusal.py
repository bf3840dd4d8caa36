class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says why, in Swedish."""
