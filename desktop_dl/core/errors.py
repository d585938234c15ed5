"""Errors a user can cause, with messages written for the user (never a traceback)."""
import errno

from desktop_dl.core.i18n import _


class UserError(Exception):
    """Something the user can fix: a bad file, an invalid setting. str() is the message to show."""


class SpecError(UserError):
    """A model spec file or value that cannot be used."""


class DatasetError(UserError):
    """A dataset file or folder that cannot be read as asked."""


class ModelFileError(UserError):
    """A model file (ONNX, .keras) that cannot be opened or trusted."""


def os_error_text(exc: OSError) -> str:
    """Why a file operation failed, in the interface language: the common causes are worded
    here (the C library's own words are English whatever the language), others come as the
    system gives them."""
    words = {
        errno.ENOENT: lambda: _("no such file or folder"),
        errno.EACCES: lambda: _("permission denied"),
        errno.EPERM: lambda: _("permission denied"),
        errno.EISDIR: lambda: _("it is a folder"),
        errno.ENOTDIR: lambda: _("a part of the path is not a folder"),
        errno.ENOSPC: lambda: _("the disk is full"),
        errno.EROFS: lambda: _("the disk is read-only"),
        errno.ENAMETOOLONG: lambda: _("the name is too long"),
    }
    if exc.errno in words:
        return words[exc.errno]()
    return exc.strerror or str(exc)
