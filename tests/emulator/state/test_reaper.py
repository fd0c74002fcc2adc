"""Files removed off the request path: gone from their place at once,
their bytes freed by one background thread."""
import os
import threading

from sevenbridges.emulator.state import reaper as reaper_module
from sevenbridges.emulator.state.reaper import REMOVED, Reaper


def test_a_removed_file_is_gone_at_once_and_freed_by_close(tmp_path):
    path = tmp_path / 'blob'
    path.write_bytes(b'x' * 4096)
    reaper = Reaper(str(tmp_path))
    reaper.remove(str(path))
    assert not path.exists()
    reaper.close()
    assert os.listdir(tmp_path / REMOVED) == []
    assert sorted(os.listdir(tmp_path)) == [REMOVED]


def test_the_bytes_are_freed_on_another_thread(tmp_path, monkeypatch):
    path = tmp_path / 'blob'
    path.write_bytes(b'bytes')
    release, removers = threading.Event(), []
    real_remove = os.remove

    def slow_remove(target):
        removers.append(threading.current_thread().name)
        release.wait(5)
        real_remove(target)

    monkeypatch.setattr(reaper_module.os, 'remove', slow_remove)
    reaper = Reaper(str(tmp_path))
    reaper.remove(str(path))
    # The caller is back while the unlink still waits.
    assert not path.exists()
    assert len(os.listdir(tmp_path / REMOVED)) == 1
    release.set()
    reaper.close()
    assert removers == ['emulator-reaper']
    assert os.listdir(tmp_path / REMOVED) == []


def test_a_missing_file_is_nothing_to_do(tmp_path):
    reaper = Reaper(str(tmp_path))
    reaper.remove(str(tmp_path / 'never-was'))
    assert reaper._thread is None
    reaper.close()


def test_what_a_killed_emulator_left_aside_is_freed_at_the_next_start(
        tmp_path):
    aside = tmp_path / REMOVED
    aside.mkdir()
    (aside / 'left-over').write_bytes(b'old')
    reaper = Reaper(str(tmp_path))
    reaper.close()
    assert os.listdir(aside) == []


def test_it_serves_again_after_close(tmp_path):
    reaper = Reaper(str(tmp_path))
    for name in ('one', 'two'):
        (tmp_path / name).write_bytes(b'bytes')
        reaper.remove(str(tmp_path / name))
        reaper.close()
        assert os.listdir(tmp_path / REMOVED) == []
    assert sorted(os.listdir(tmp_path)) == [REMOVED]
