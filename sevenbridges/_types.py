"""Type aliases of the public API, for type checkers and the docs.

Wherever the SDK takes a resource it also takes its id (a string): these
aliases say so. This module is imported only while type checking.
"""
from datetime import datetime
from typing import Union

from sevenbridges.api import Api
from sevenbridges.models.app import App
from sevenbridges.models.automation import Automation, AutomationPackage
from sevenbridges.models.billing_group import BillingGroup
from sevenbridges.models.dataset import Dataset
from sevenbridges.models.division import Division
from sevenbridges.models.file import File
from sevenbridges.models.member import Member
from sevenbridges.models.project import Project
from sevenbridges.models.storage_export import Export
from sevenbridges.models.storage_import import Import
from sevenbridges.models.task import Task
from sevenbridges.models.team import Team
from sevenbridges.models.user import User
from sevenbridges.models.volume import Volume

__all__ = [
    'Api', 'AppRef', 'AutomationPackageRef', 'AutomationRef',
    'BillingGroupRef', 'DatasetRef', 'DateLike', 'DivisionRef', 'ExportRef',
    'FileRef', 'ImportRef', 'MemberRef', 'ProjectRef', 'TaskRef', 'TeamRef',
    'UserRef', 'VolumeRef',
]

AppRef = Union[str, App]
AutomationPackageRef = Union[str, AutomationPackage]
AutomationRef = Union[str, Automation]
BillingGroupRef = Union[str, BillingGroup]
DatasetRef = Union[str, Dataset]
DateLike = Union[str, datetime]
DivisionRef = Union[str, Division]
ExportRef = Union[str, Export]
FileRef = Union[str, File]
ImportRef = Union[str, Import]
MemberRef = Union[str, Member]
ProjectRef = Union[str, Project]
TaskRef = Union[str, Task]
TeamRef = Union[str, Team]
UserRef = Union[str, User]
VolumeRef = Union[str, Volume]
