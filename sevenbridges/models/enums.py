"""Constants of the platform: plain classes holding values (not ``enum.Enum``),
so that ``TaskStatus.COMPLETED == 'COMPLETED'`` and values go on the wire as
they are.

:class:`~sevenbridges.constants.RequestParameters`, which the HTTP client
and the resource layer need, lives in the leaf module
:mod:`sevenbridges.constants` and is importable from here too."""
from sevenbridges.constants import RequestParameters as RequestParameters


class PartSize:
    """Sizes in bytes and the platform's multipart limits."""
    KB = 1024
    MB = 1024 * KB
    GB = 1024 * MB
    TB = 1024 * GB
    MAXIMUM_UPLOAD_SIZE = 5 * GB
    MAXIMUM_OBJECT_SIZE = 5 * TB
    MAXIMUM_TOTAL_PARTS = 10000
    DOWNLOAD_MINIMUM_PART_SIZE = 5 * MB
    UPLOAD_MINIMUM_PART_SIZE = 5 * MB
    UPLOAD_RECOMMENDED_SIZE = 32 * MB


class TransferState:
    """States of an upload or a download."""
    ABORTED = 'ABORTED'
    RUNNING = 'RUNNING'
    PAUSED = 'PAUSED'
    COMPLETED = 'COMPLETED'
    PREPARING = 'PREPARING'
    STOPPED = 'STOPPED'
    FAILED = 'FAILED'


class VolumeType:
    """Cloud providers of volumes."""
    S3 = 'S3'
    GOOGLE = 'GCS'
    OSS = 'OSS'


class VolumeAccessMode:
    """Read-only or read-write volumes."""
    READ_ONLY = 'RO'
    READ_WRITE = 'RW'


class FileStorageType:
    """Where the bytes of a file live."""
    VOLUME = 'VOLUME'
    PLATFORM = 'PLATFORM'


class FileApiFormats:
    """CWL classes of task inputs."""
    FILE = 'File'
    FOLDER = 'Directory'


class ImportExportState:
    """States of volume imports and exports."""
    PENDING = 'PENDING'
    RUNNING = 'RUNNING'
    COMPLETED = 'COMPLETED'
    FAILED = 'FAILED'


class TaskStatus:
    """States of a task; a task in a terminal state never changes again."""
    DRAFT = 'DRAFT'
    CREATING = 'CREATING'
    QUEUED = 'QUEUED'
    RUNNING = 'RUNNING'
    COMPLETED = 'COMPLETED'
    ABORTED = 'ABORTED'
    ABORTING = 'ABORTING'
    FAILED = 'FAILED'
    terminal_states = [COMPLETED, FAILED, ABORTED]


class FeedbackType:
    """Kinds of feedback sent with ``api.actions.send_feedback``."""
    IDEA = 'IDEA'
    THOUGHT = 'THOUGHT'
    PROBLEM = 'PROBLEM'


class AppRawFormat:
    """Formats in which an app's raw CWL can be installed."""
    JSON = 'json'
    YAML = 'yaml'


class AppCopyStrategy:
    """Strategies of ``App.copy``."""
    CLONE = 'clone'
    DIRECT = 'direct'
    TRANSIENT = 'transient'
    CLONE_DIRECT = 'clone_direct'


class AutomationRunActions:
    """Actions on automation runs."""
    STOP = 'stop'
    RERUN = 'rerun'


class AsyncJobStates:
    """States of asynchronous file jobs."""
    RUNNING = 'RUNNING'
    FINISHED = 'FINISHED'
    SUBMITTED = 'SUBMITTED'
    RESOLVING = 'RESOLVING'


class AsyncFileOperations:
    """Operations of asynchronous file jobs."""
    COPY = 'copy'
    DELETE = 'delete'
    MOVE = 'move'


class DivisionRole:
    """Roles of division members."""
    MEMBER = 'member'
    ADMIN = 'admin'
    EXTERNAL_COLLABORATOR = 'external_collaborator'


class AutomationStatus:
    """States of automation runs."""
    CREATED = 'CREATED'
    FINISHED = 'FINISHED'
    ABORTED = 'ABORTED'
    FAILED = 'FAILED'
    RUNNING = 'RUNNING'
    SENT_TO_EXECUTION = 'SENT_TO_EXECUTION'
    QUEUED_FOR_EXECUTION = 'QUEUED_FOR_EXECUTION'
    QUEUED_FOR_TERMINATION = 'QUEUED_FOR_TERMINATION'
    terminal_states = [FINISHED, FAILED, ABORTED]
