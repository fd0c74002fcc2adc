"""Downloads made inside ``sessions.sharing_storage_session`` use the
session handed to them (folder transfers share one among all their
files); elsewhere each download has a session of its own."""
import threading

from sevenbridges.emulator import Emulator
from sevenbridges.models.file import File
from sevenbridges.transfer import batch, sessions
from tests.transfer.conftest import MIB

SIZE = 2 * 5 * MIB + 7


def content(size=SIZE):
    return bytes(index % 251 for index in range(size))


class CountingSession:
    """A storage session that counts the GETs sent through it."""

    def __init__(self, session):
        self.session = session
        self.gets = 0

    def get(self, *args, **kwargs):
        self.gets += 1
        return self.session.get(*args, **kwargs)


def test_a_download_in_the_block_uses_the_shared_session(client, platform,
                                                         tmp_path):
    file_id = platform.add_file('a.bin', content())
    shared = CountingSession(sessions.storage_session(client, 2))
    with sessions.sharing_storage_session(shared) as handed:
        assert handed is shared
        download = File(api=client, id=file_id).download(
            str(tmp_path / 'a.bin'), chunk_size=5 * MIB, wait=False)
    assert download._session is shared
    download.start()
    download.wait()
    assert (tmp_path / 'a.bin').read_bytes() == content()
    assert shared.gets == 1 + 3  # the probe and three parts
    after = File(api=client, id=file_id).download(
        str(tmp_path / 'b.bin'), wait=False)
    assert after._session is not shared
    assert after._session is not download._session


def test_the_shared_session_is_the_blocks_thread_only(client, platform,
                                                      tmp_path):
    file_id = platform.add_file('a.bin', content(10))
    shared = sessions.storage_session(client, 2)
    seen = {}

    def elsewhere():
        seen['session'] = File(api=client, id=file_id).download(
            str(tmp_path / 'other.bin'), wait=False)._session

    with sessions.sharing_storage_session(shared):
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
        with sessions.sharing_storage_session(None):
            inner = File(api=client, id=file_id).download(
                str(tmp_path / 'inner.bin'), wait=False)._session
        again = File(api=client, id=file_id).download(
            str(tmp_path / 'again.bin'), wait=False)._session
    assert seen['session'] is not shared
    assert inner is not shared
    assert again is shared


def test_a_folder_download_shares_one_session_among_its_files(
        tmp_path, monkeypatch):
    made = []
    original = sessions.storage_session

    def counting(api, retry_count):
        made.append(retry_count)
        return original(api, retry_count)

    monkeypatch.setattr(batch, 'storage_session', counting)
    source = tmp_path / 'source'
    for folder in ('a', 'b'):
        (source / folder).mkdir(parents=True)
        for number in range(3):
            (source / folder / f'{number}.txt').write_bytes(
                content(100 + number))
    with Emulator() as emulator:
        api = emulator.api()
        group = api.billing_groups.query()[0]
        project = api.projects.create(name='shared', billing_group=group)
        api.folders.upload(str(source), project=project, retry=3)
        made.clear()
        report = api.folders.download(str(tmp_path / 'back'),
                                      project=project, retry=3)
    assert len(report.moved) == 6
    assert made == [3]  # the tree's one session, no session per file
    for folder in ('a', 'b'):
        for number in range(3):
            assert (tmp_path / 'back' / folder / f'{number}.txt') \
                .read_bytes() == content(100 + number)
