"""The spending of one project."""
from sevenbridges.meta.fields import CompoundField, CompoundListField, HrefField
from sevenbridges.meta.resource import Resource
from sevenbridges.models.compound.billing.task_breakdown import TaskBreakdown
from sevenbridges.models.compound.price import Price


class ProjectBreakdown(Resource):
    """A project's ``analysis_spending`` and its ``task_breakdown``."""
    href = HrefField(read_only=True)
    analysis_spending = CompoundField(Price, read_only=True)
    task_breakdown = CompoundListField(TaskBreakdown, read_only=True)

    def __str__(self):
        return f'<ProjectBreakdown: href={self.href}>'
