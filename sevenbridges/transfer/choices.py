"""The choices of a folder transfer or a sync: which way files move, what
happens to a name the target already has, how two files are compared.

A leaf module (it imports nothing), so that whatever offers these choices
(the ``sbg`` command's options) can name them without loading folder
trees and plans. They are also importable from
:mod:`sevenbridges.transfer.plan`, which uses them.
"""


class Direction:
    """Which way files move."""
    UPLOAD = 'upload'
    DOWNLOAD = 'download'


class IfExists:
    """What a folder upload or download does with a name that the target
    already has."""
    SKIP = 'skip'            # leave it (a re-run continues where it ended)
    OVERWRITE = 'overwrite'  # replace it
    RENAME = 'rename'        # keep both: the new one as ``1_name``, ...


class Compare:
    """How a sync tells a file present on both sides apart (each level
    includes the ones before): ``exists`` (the name: never moved again),
    ``size``, ``mtime`` (size, then the source newer than the target by a
    whole second or more)."""
    EXISTS = 'exists'
    SIZE = 'size'
    MTIME = 'mtime'
