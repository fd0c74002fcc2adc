"""Execution details of a task."""
from sevenbridges.meta.fields import (
    CompoundListField,
    DateTimeField,
    HrefField,
    StringField,
)
from sevenbridges.meta.resource import Resource
from sevenbridges.models.compound.jobs.job import Job


class ExecutionDetails(Resource):
    """The ``jobs`` of a task with its ``status``, ``message`` and timing
    (see ``task.get_execution_details()``)."""
    href = HrefField(read_only=True)
    start_time = DateTimeField(read_only=True)
    end_time = DateTimeField(read_only=True)
    status = StringField(read_only=True)
    message = StringField(read_only=True)
    jobs = CompoundListField(Job, read_only=True)

    def __str__(self):
        return '<Execution Details>'
