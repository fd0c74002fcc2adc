"""The options of a transfer (``TransferOptions``): checked once, with the
caller's names in the messages, and read with the reference's defaults."""
import pytest

from sevenbridges.errors import SbgError, ValidationError
from sevenbridges.transfer.options import TransferOptions

MIB = 1024 * 1024


def test_defaults_stand_for_none_and_zero():
    options = TransferOptions()
    assert (options.part_size, options.attempts, options.seconds,
            options.workers, options.progress) == (None, 6, 300, None, None)
    assert (TransferOptions(retry_count=0, timeout=0).attempts,
            TransferOptions(retry_count=0, timeout=0).seconds) == (6, 300)
    assert (TransferOptions(7 * MIB, 2, 9.5).attempts,
            TransferOptions(7 * MIB, 2, 9.5).seconds) == (2, 9.5)


@pytest.mark.parametrize('arguments,message', [
    ({'part_size': 0}, 'part_size must be a positive number of bytes, not 0.'),
    ({'part_size': 1.5}, 'part_size must be a positive number of bytes'),
    ({'part_size': True}, 'part_size must be a positive number of bytes'),
    ({'retry_count': -1}, 'retry_count must be a number of attempts (0 or '
                          'more), not -1.'),
    ({'retry_count': 2.5}, 'retry_count must be a number of attempts'),
    ({'timeout': -5}, 'timeout must be a number of seconds (0 or more), '
                      'not -5.'),
    ({'timeout': float('nan')}, 'timeout must be a number of seconds'),
    ({'workers': 0}, 'workers must be a positive number of files in '
                     'flight, not 0.'),
    ({'progress': 'bar'}, "progress must be a function, not 'bar'."),
])
def test_bad_values_are_refused_by_name(arguments, message):
    with pytest.raises(ValidationError) as info:
        TransferOptions(**arguments)
    assert info.value.message.startswith(message)


def test_the_callers_names_are_in_the_messages():
    with pytest.raises(ValidationError, match='^chunk_size must be'):
        TransferOptions(part_size=-1, names={'part_size': 'chunk_size'})
    with pytest.raises(ValidationError, match='^retry must be'):
        TransferOptions.of_folders(retry=-1)
    with pytest.raises(ValidationError, match='^progress must be'):
        TransferOptions.of_folders(progress=1, workers=0)


def test_folder_options_keep_their_order_and_defaults():
    def progress(_):
        return None

    options = TransferOptions.of_folders(progress, 3, 8 * MIB)
    assert options == TransferOptions(8 * MIB, 6, 300, 3, progress)


def test_downloads_need_parts_of_five_mib_or_more():
    assert TransferOptions(5 * MIB).check_download().part_size == 5 * MIB
    assert TransferOptions().check_download().part_size is None
    with pytest.raises(SbgError) as info:
        TransferOptions(MIB).check_download()
    assert info.value.message == ('Part size is too small! Minimum '
                                  'get_parts size is 5242880')
