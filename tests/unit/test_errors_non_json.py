"""Error answers whose body is not JSON (a proxy's HTML page) and the
gateway statuses."""
import pickle

import pytest

import sevenbridges as sbg
from sevenbridges import errors
from tests.conftest import BASE, TOKEN

NGINX_502 = ('<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n'
             '<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n'
             '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n')


@pytest.fixture
def api():
    return sbg.Api(url=BASE, token=TOKEN, retry=False)


def test_gateway_errors_have_classes_of_their_own():
    assert errors.ERROR_BY_STATUS[502] is errors.BadGateway
    assert errors.ERROR_BY_STATUS[504] is errors.GatewayTimeout
    for error_class, status in ((errors.BadGateway, 502),
                                (errors.GatewayTimeout, 504)):
        assert error_class.__bases__ == (errors.SbgError,)
        assert error_class('CODE', 'message').status == status
        assert error_class.__name__ in errors.__all__


@pytest.mark.parametrize('body,line', [
    (NGINX_502, '502 Bad Gateway'),
    ('<HTML><TITLE>\n  Service\n  down </TITLE></HTML>', 'Service down'),
    ('\n\n  upstream connect error\nreset reason: overflow',
     'upstream connect error'),
    ('<p>no title</p>\n<p>more</p>', '<p>no title</p>'),
    ('x' * 300, 'x' * 197 + '...'),
    ('', ''),
])
def test_the_first_line_of_a_body(body, line):
    assert errors.first_line(body) == line


@pytest.mark.parametrize('status,error_class', [
    (400, errors.BadRequest), (404, errors.NotFound),
    (429, errors.TooManyRequests), (500, errors.ServerError),
    (502, errors.BadGateway), (503, errors.ServiceUnavailable),
    (504, errors.GatewayTimeout)])
def test_the_class_of_the_status_and_a_non_json_response_error(
        status, error_class):
    error = errors.non_json_error(status, NGINX_502)
    assert isinstance(error, error_class)
    assert isinstance(error, errors.NonJSONResponseError)
    assert (error.status, error.code, error.message, error.more_info) == \
        (status, None, '502 Bad Gateway', None)
    assert str(error) == f'502 Bad Gateway (status {status})'
    assert type(error).__name__ == f'NonJSON{error_class.__name__}'
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and copy.__dict__ == error.__dict__


def test_another_status_is_a_plain_non_json_response_error():
    error = errors.non_json_error(418, '')
    assert type(error) is errors.NonJSONResponseError
    assert (error.status, error.message) == (418, "I'm a Teapot")
    assert errors.non_json_error(599, '').message is None


@pytest.mark.parametrize('status,error_class', [
    (502, errors.BadGateway), (503, errors.ServiceUnavailable),
    (504, errors.GatewayTimeout)])
def test_the_client_raises_them(api, mocked, status, error_class):
    mocked.get(BASE + '/x', status=status, body=NGINX_502,
               content_type='text/html')
    with pytest.raises(error_class) as info:
        api.get('/x')
    assert isinstance(info.value, errors.NonJSONResponseError)
    assert (info.value.status, info.value.message) == (status,
                                                       '502 Bad Gateway')
    assert info.value.__suppress_context__


def test_an_html_maintenance_page_is_no_decoding_error(mocked):
    api = sbg.Api(url=BASE, token=TOKEN, retry=False)
    assert api.error_handlers  # maintenance_sleeper reads 503 bodies
    mocked.get(BASE + '/x', status=503, body='<h1>Down for maintenance</h1>')
    with pytest.raises(errors.ServiceUnavailable,
                       match='Down for maintenance'):
        api.get('/x')


def test_json_error_bodies_keep_their_fields(api, mocked):
    mocked.get(BASE + '/x', status=502, json={'code': 7, 'message': 'Gw'})
    with pytest.raises(errors.BadGateway) as info:
        api.get('/x')
    assert type(info.value) is errors.BadGateway
    assert (info.value.status, info.value.code, info.value.message) == \
        (502, 7, 'Gw')
