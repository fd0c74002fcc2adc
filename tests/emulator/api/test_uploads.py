"""Multipart uploads as the platform answers them: part sizes corrected (the
SDK and raw HTTP against the real emulator)."""
import pytest

MIB = 1024 * 1024


def _start_upload(http, path, size, part_size=None, **extra):
    body = dict({'name': 'big.bin', 'size': size}, **extra)
    if part_size is not None:
        body['part_size'] = part_size
    return http('POST', path, json=body)


@pytest.mark.parametrize('path', ['/upload/multipart', '/automation/upload'])
def test_part_sizes_are_corrected_as_the_platform_does(http, project, path):
    extra = {'project': project.id} if path == '/upload/multipart' else {}

    def part_size(size, asked=None):
        answer = _start_upload(http, path, size, asked, **extra)
        assert answer.status_code == 200, answer.json()
        return answer.json()['part_size']

    assert part_size(1024, 1) == 5 * MIB
    assert part_size(20 * MIB, 8 * MIB) == 8 * MIB
    assert part_size(6 * 1024 * MIB, 6 * 1024 * MIB) == 5 * 1024 * MIB
    assert part_size(100 * 1024 * MIB, 5 * MIB) == 11 * MIB
    five_tib = 5 * 1024 * 1024 * MIB
    assert part_size(five_tib, 1) == 525 * MIB
    refused = _start_upload(http, path, five_tib + 1, **extra)
    assert refused.status_code == 400
    assert 'size' in refused.json()['message']
    refused = _start_upload(http, path, 10 * 1024 * 1024 * MIB, **extra)
    assert refused.status_code == 400

def test_the_sdk_uploads_with_the_part_size_it_is_given(
        sbg_api, sbg_emulator, project, tmp_path):
    path = tmp_path / 'twelve.bin'
    path.write_bytes(bytes(range(256)) * (12 * MIB // 256))
    uploaded = sbg_api.files.upload(str(path), project=project,
                                    part_size=1).result()
    assert uploaded.size == 12 * MIB
    parts = sorted(int(r['headers']['Content-Length'])
                   for r in sbg_emulator.requests
                   if r['listener'] == 'storage' and r['method'] == 'PUT')
    assert parts == [2 * MIB, 5 * MIB, 5 * MIB]
    target = tmp_path / 'back.bin'
    sbg_api.files.get(uploaded.id).download(str(target))
    assert target.read_bytes() == path.read_bytes()
