"""Errors a user can cause, with messages written for the user (never a traceback)."""


class UserError(Exception):
    """Something the user can fix: a bad file, an invalid setting. str() is the message to show."""


class SpecError(UserError):
    """A model spec file or value that cannot be used."""


class DatasetError(UserError):
    """A dataset file or folder that cannot be read as asked."""


class ModelFileError(UserError):
    """A model file (ONNX, .keras) that cannot be opened or trusted."""
