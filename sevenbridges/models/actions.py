"""Actions that are not tied to one resource (``api.actions``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from sevenbridges.meta.arguments import as_list, check_choice
from sevenbridges.meta.resource import Resource, class_tag
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.enums import FeedbackType

if TYPE_CHECKING:
    from sevenbridges._types import Api, FileRef


class Actions(Resource):
    """Feedback to the platform's team and bulk copies of files."""
    _URL = {
        'send_feedback': '/action/notifications/feedback',
        'bulk_copy': '/action/files/copy',
    }

    __str__ = class_tag

    @classmethod
    def send_feedback(
            cls, type: str = FeedbackType.IDEA, referrer: str | None = None,
            text: str | None = None, api: Api | None = None) -> None:
        """Send feedback.

        :param type: ``IDEA``, ``THOUGHT`` or ``PROBLEM``
            (:class:`~sevenbridges.models.enums.FeedbackType`).
        :param referrer: who sends it (default: a description of the SDK
            and platform).
        :param text: the feedback.
        :param api: the client (default: the one the class is bound to).
        """
        from sevenbridges.http.client import client_info
        check_choice('type', type, FeedbackType)
        api = api or cls._API
        data = {'type': type, 'text': text,
                'referrer': referrer or str(client_info)}
        api.post(url=cls._URL['send_feedback'], data=data)

    @classmethod
    def bulk_copy_files(
            cls, files: Iterable[FileRef], destination_project: str,
            api: Api | None = None) -> dict[str, Any]:
        """Copy files into a project in one request.

        :param files: files (ids or ``File`` objects).
        :param destination_project: the project (id or ``Project``).
        :param api: the client (default: the one the class is bound to).
        :return: the server's answer: for each file id, its copy or error.
        """
        api = api or cls._API
        data = {'project': Transform.to_project(destination_project),
                'file_ids': [Transform.to_file(file)
                             for file in as_list('files', files)]}
        return api.post(url=cls._URL['bulk_copy'], data=data).json()
