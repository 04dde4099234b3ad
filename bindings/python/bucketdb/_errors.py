"""The exceptions of bucketdb: one class per status code of bucketdb.h.

The extension raises them itself (bucketdb_python.i looks up BY_CODE), with BucketDB's message.
"""


class Error(Exception):
    """The base of every BucketDB error; ``code`` is the status code of bucketdb.h."""

    code = 0

    def __init__(self, message="", code=None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class NotFound(Error):
    code = 1


class InvalidArgument(Error, ValueError):
    code = 2


class SchemaError(Error):
    code = 3


class TypeMismatch(Error, TypeError):
    code = 4


class JSONError(Error, ValueError):
    code = 5


class AlreadyExists(Error):
    code = 6


class Conflict(Error):
    code = 7


class Corrupt(Error):
    code = 8


class StorageError(Error):
    code = 9


class PermissionDenied(Error):
    code = 10


class BadURI(Error, ValueError):
    code = 11


class OutOfMemory(Error, MemoryError):
    code = 12


class StorageFull(Error):
    code = 13


class Busy(Error):
    code = 14


class InternalError(Error):
    code = 15


class Interrupted(Error):
    """Database.interrupt (bdb_db_interrupt) stopped the call."""
    code = 16


BY_CODE = (Error, NotFound, InvalidArgument, SchemaError, TypeMismatch, JSONError,
           AlreadyExists, Conflict, Corrupt, StorageError, PermissionDenied, BadURI,
           OutOfMemory, StorageFull, Busy, InternalError, Interrupted)


def error_class(code):
    """The exception class of a status code (Error for one this version does not know)."""
    return BY_CODE[code] if 0 < code < len(BY_CODE) else Error
