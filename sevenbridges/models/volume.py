"""Volumes: cloud buckets connected to the platform (``api.volumes``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sevenbridges.errors import SbgError
from sevenbridges.meta.arguments import check_choice, check_page
from sevenbridges.meta.collection import volume_collection_from_response
from sevenbridges.meta.fields import (
    BooleanField,
    CompoundField,
    DateTimeField,
    HrefField,
    StringField,
)
from sevenbridges.meta.resource import (
    Resource,
    equal_by,
    paged_query,
    patch_save,
)
from sevenbridges.meta.transformer import Transform
from sevenbridges.models import member as members
from sevenbridges.models.compound.volumes.service import VolumeService
from sevenbridges.models.compound.volumes.volume_object import VolumeObject
from sevenbridges.models.enums import VolumeAccessMode, VolumeType
from sevenbridges.models.member import member_payload

if TYPE_CHECKING:
    from sevenbridges._types import Api, DivisionRef, ProjectRef, TeamRef, UserRef
    from sevenbridges.meta.collection import Collection, VolumeCollection
    from sevenbridges.models.member import Member


def _required(**values):
    for name, value in values.items():
        if not value:
            raise SbgError(f'{name.replace("_", " ").capitalize()} is '
                           f'required!')


class Volume(Resource):
    """A volume: a bucket of a cloud provider (AWS S3, Google Cloud
    Storage, Alibaba OSS) that files are imported from and exported to.

    Example::

        volume = api.volumes.create_s3_volume(
            name='lab_bucket', bucket='lab-bucket', access_key_id='<ID>',
            secret_access_key='<SECRET>', access_mode='RW')
        for item in volume.list(prefix='runs/').all():
            print(item.location)
    """
    _URL = {
        'query': '/storage/volumes',
        'get': '/storage/volumes/{id}',
        'delete': '/storage/volumes/{id}',
        'list': '/storage/volumes/{id}/list',
        'object': '/storage/volumes/{id}/object',
        'member': '/storage/volumes/{id}/members/{username}',
        'members_query': '/storage/volumes/{id}/members',
    }

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    name = StringField(read_only=False)
    description = StringField(read_only=False)
    access_mode = StringField(read_only=False)
    service = CompoundField(VolumeService, read_only=False)
    created_on = DateTimeField(read_only=True)
    modified_on = DateTimeField(read_only=True)
    active = BooleanField(read_only=False)

    __eq__ = equal_by('id')

    def __str__(self):
        return f'<Volume: id={self.id}>'

    __repr__ = __str__

    query = paged_query('The volumes the user can access.', fields='_all')

    @classmethod
    def _create_volume(cls, name, service_type, bucket, credentials,
                       access_mode, description, prefix, properties, api,
                       endpoint=None):
        """POST a new volume (what the ``create_*_volume`` methods share)."""
        _required(volume_name=name, bucket=bucket, access_mode=access_mode)
        check_choice('access_mode', access_mode, VolumeAccessMode)
        for key, value in credentials.items():
            _required(**{key: value})
        service = {'type': service_type, 'bucket': bucket}
        if endpoint is not None:
            service['endpoint'] = endpoint
        service['credentials'] = credentials
        if prefix:
            service['prefix'] = prefix
        if properties:
            service['properties'] = properties
        data = {'name': name, 'service': service, 'access_mode': access_mode}
        if description:
            data['description'] = description
        return cls._create(url=cls._URL['query'], data=data, api=api)

    @classmethod
    def create_s3_volume(
            cls, name: str, bucket: str, access_key_id: str,
            secret_access_key: str, access_mode: str,
            description: str | None = None, prefix: str | None = None,
            properties: dict[str, Any] | None = None, api: Api | None = None
            ) -> Volume:
        """Connect an AWS S3 bucket with access keys.

        :param name: the volume's name.
        :param bucket: the bucket.
        :param access_key_id: the AWS access key id.
        :param secret_access_key: the AWS secret access key.
        :param access_mode: ``RO`` or ``RW``
            (:class:`~sevenbridges.models.enums.VolumeAccessMode`).
        :param description: a description.
        :param prefix: only objects below this prefix.
        :param properties: provider properties (e.g. ``sse_algorithm``).
        :param api: the client (default: the one the class is bound to).
        """
        return cls._create_volume(
            name=name, service_type=VolumeType.S3, bucket=bucket,
            credentials={'access_key_id': access_key_id,
                         'secret_access_key': secret_access_key},
            access_mode=access_mode, description=description, prefix=prefix,
            properties=properties, api=api)

    @classmethod
    def create_s3_volume_role_auth(
            cls, name: str, bucket: str, role_arn: str, external_id: str,
            access_mode: str, description: str | None = None,
            prefix: str | None = None,
            properties: dict[str, Any] | None = None, api: Api | None = None
            ) -> Volume:
        """Connect an AWS S3 bucket through an IAM role (see
        :meth:`create_s3_volume` for the other arguments).

        :param role_arn: the role's ARN.
        :param external_id: the role's external id.
        """
        return cls._create_volume(
            name=name, service_type=VolumeType.S3, bucket=bucket,
            credentials={'role_arn': role_arn, 'external_id': external_id},
            access_mode=access_mode, description=description, prefix=prefix,
            properties=properties, api=api)

    @classmethod
    def create_google_volume(
            cls, name: str, bucket: str, client_email: str, private_key: str,
            access_mode: str, description: str | None = None,
            prefix: str | None = None,
            properties: dict[str, Any] | None = None, api: Api | None = None
            ) -> Volume:
        """Connect a Google Cloud Storage bucket with a service account key
        (see :meth:`create_s3_volume` for the other arguments).

        :param client_email: the service account's e-mail.
        :param private_key: the service account's private key.
        """
        return cls._create_volume(
            name=name, service_type=VolumeType.GOOGLE, bucket=bucket,
            credentials={'client_email': client_email,
                         'private_key': private_key},
            access_mode=access_mode, description=description, prefix=prefix,
            properties=properties, api=api)

    @classmethod
    def create_google_iam_volume(
            cls, name: str, bucket: str, configuration: dict[str, Any],
            access_mode: str, description: str | None = None,
            prefix: str | None = None,
            properties: dict[str, Any] | None = None, api: Api | None = None
            ) -> Volume:
        """Connect a Google Cloud Storage bucket through IAM (see
        :meth:`create_s3_volume` for the other arguments).

        :param configuration: the IAM configuration (a dict).
        """
        return cls._create_volume(
            name=name, service_type=VolumeType.GOOGLE, bucket=bucket,
            credentials={'configuration': configuration},
            access_mode=access_mode, description=description, prefix=prefix,
            properties=properties, api=api)

    @classmethod
    def create_oss_volume(
            cls, name: str, bucket: str, endpoint: str, access_key_id: str,
            secret_access_key: str, access_mode: str,
            description: str | None = None, prefix: str | None = None,
            properties: dict[str, Any] | None = None, api: Api | None = None
            ) -> Volume:
        """Connect an Alibaba Cloud OSS bucket (see
        :meth:`create_s3_volume` for the other arguments).

        :param endpoint: the OSS endpoint.
        """
        _required(endpoint=endpoint)
        return cls._create_volume(
            name=name, service_type=VolumeType.OSS, bucket=bucket,
            endpoint=endpoint,
            credentials={'access_key_id': access_key_id,
                         'secret_access_key': secret_access_key},
            access_mode=access_mode, description=description, prefix=prefix,
            properties=properties, api=api)

    save = patch_save('Save what changed (name, description, access mode, '
                      'service, active).')

    def list(
            self, prefix: str | None = None, limit: int | None = None,
            fields: str = '_all') -> VolumeCollection:
        """The objects and prefixes (folders) of the volume, one page at a
        time (:class:`~sevenbridges.meta.collection.VolumeCollection`).

        :param prefix: only below this prefix.
        :param limit: page size.
        :param fields: the fields to return.
        """
        check_page(limit=limit)
        params: dict[str, Any] = {'fields': fields}
        if prefix:
            params['prefix'] = prefix
        if limit:
            params['limit'] = limit
        response = self._api.get(url=self._URL['list'].format(id=self.id),
                                 params=params)
        return volume_collection_from_response(response, self._api)

    def get_volume_object_info(self, location: str) -> VolumeObject:
        """One object of the volume.

        :param location: the object's location (key).
        """
        response = self._api.get(url=self._URL['object'].format(id=self.id),
                                 params={'location': location})
        return VolumeObject(api=self._api, **response.json())

    def get_imports(
            self, project: ProjectRef | None = None, state: str | None = None,
            offset: int | None = None, limit: int | None = None) -> Collection:
        """Imports from this volume (see ``api.imports.query``)."""
        from sevenbridges.models.storage_import import Import
        return Import.query(volume=self, project=project, state=state,
                            offset=offset, limit=limit, api=self._api)

    def get_exports(
            self, state: str | None = None, offset: int | None = None,
            limit: int | None = None) -> Collection:
        """Exports to this volume (see ``api.exports.query``)."""
        from sevenbridges.models.storage_export import Export
        return Export.query(volume=self, state=state, offset=offset,
                            limit=limit, api=self._api)

    # -- members ---------------------------------------------------------------

    get_members = members.get_members

    def _add_member(self, identifier, member_type, permissions):
        if isinstance(permissions, dict):
            # Volumes have no 'execute' permission; the caller's dict is
            # left as it was.
            permissions = {key: value for key, value in permissions.items()
                           if key != 'execute'}
        return members.create_member(self, member_payload(
            'username', identifier, member_type, permissions))

    def add_member(
            self, user: UserRef, permissions: dict[str, bool]) -> Member:
        """Add a user as a member.

        :param user: the user (username or ``User``).
        :param permissions: ``{'read': ..., 'write': ..., 'copy': ...,
            'admin': ...}``.
        """
        return self._add_member(Transform.to_user(user), 'USER', permissions)

    def add_member_team(
            self, team: TeamRef, permissions: dict[str, bool]) -> Member:
        """Add a team as a member (see :meth:`add_member`)."""
        return self._add_member(Transform.to_team(team), 'TEAM', permissions)

    def add_member_division(
            self, division: DivisionRef, permissions: dict[str, bool]
            ) -> Member:
        """Add a division as a member (see :meth:`add_member`)."""
        return self._add_member(Transform.to_division(division), 'DIVISION',
                                permissions)

    get_member = members.get_member
    remove_member = members.remove_member
