"""The exception hierarchy."""
import pickle

import pytest

from sevenbridges import errors

HTTP_ERRORS = [
    (errors.BadRequest, 400), (errors.Unauthorized, 401),
    (errors.Forbidden, 403), (errors.NotFound, 404),
    (errors.MethodNotAllowed, 405), (errors.RequestTimeout, 408),
    (errors.Conflict, 409), (errors.URITooLong, 414),
    (errors.TooManyRequests, 429), (errors.ServerError, 500),
    (errors.ServiceUnavailable, 503),
]


def test_every_error_derives_directly_from_sbg_error():
    names = [name for name in errors.__all__ if name not in
             ('SbgError', 'ERROR_BY_STATUS')]
    for name in names:
        assert getattr(errors, name).__bases__ == (errors.SbgError,)
    assert errors.SbgError.__bases__ == (Exception,)


def test_sbg_error_attributes_and_str():
    error = errors.SbgError('msg', code=5, status=400, more_info='http://i')
    assert (error.message, error.code, error.status, error.more_info) == \
        ('msg', 5, 400, 'http://i')
    assert str(error) == 'msg (status 400, code 5, more info: http://i)'
    assert str(errors.SbgError('plain')) == 'plain'
    assert str(errors.SbgError()) == ''
    assert str(errors.SbgError(status=404)) == 'status 404'
    assert errors.SbgError('plain').args == ('plain',)
    assert repr(errors.SbgError('m', code=1)) == (
        "SbgError(message='m', code=1, status=None, more_info=None)")


@pytest.mark.parametrize('error_class,status', HTTP_ERRORS)
def test_http_errors(error_class, status):
    error = error_class('CODE', 'message', 'info')
    assert (error.code, error.message, error.more_info, error.status) == \
        ('CODE', 'message', 'info', status)
    assert error_class().status == status
    assert errors.ERROR_BY_STATUS[status] is error_class


def test_local_errors():
    for error_class in (errors.ReadOnlyPropertyError, errors.ValidationError,
                        errors.PaginationError):
        error = error_class('m')
        assert (error.message, error.code, error.status) == ('m', -1, -1)
        assert str(error) == 'm'
    not_modified = errors.ResourceNotModified()
    assert not_modified.message == (
        'No relevant changes were detected in order to update the resource '
        'on the server.')
    assert (not_modified.code, not_modified.status) == (-1, -1)
    task_error = errors.TaskValidationError('bad', task='T')
    assert (task_error.task, task_error.status) == ('T', -1)
    assert errors.TaskValidationError('bad').task is None
    assert errors.AdvanceAccessError().status == -1
    exists = errors.LocalFileAlreadyExists(message='/tmp/x')
    assert (exists.status, exists.code, str(exists)) == (-1, None, '/tmp/x')
    assert errors.ExecutionDetailsInvalidTaskType(code=3).code == 3
    non_json = errors.NonJSONResponseError(502, message='<html>')
    assert (non_json.status, non_json.code, non_json.message) == \
        (502, None, '<html>')


def test_errors_survive_pickling():
    for error in (errors.NotFound(code=5, message='gone'),
                  errors.TaskValidationError('bad', task='T'),
                  errors.ResourceNotModified(),
                  errors.NonJSONResponseError(500, message='x')):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert copy.__dict__ == error.__dict__
