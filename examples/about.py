"""Print the SDK version and the configuration an ``Api()`` would use.

Run it with ``make demo`` (until the emulator demo replaces it).
"""
import logging

import sevenbridges as sbg
from sevenbridges.http.client import config_vars


def describe_configuration() -> str:
    url, token, proxies, advance_access = config_vars([None, 'default'],
                                                      advance_access=False)
    if url is None:
        return ('No configuration found: pass url= and token= to Api(), set '
                'SB_API_ENDPOINT and SB_AUTH_TOKEN, or add a [default] '
                'profile to ~/.sevenbridges/credentials.')
    return (f'Endpoint:       {url}\n'
            f'Token:          {"*****" if token else "(none)"}\n'
            f'Proxies:        {proxies or "(none)"}\n'
            f'Advance access: {bool(advance_access)}')


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    print(f'sevenbridges-python {sbg.__version__}')
    print(describe_configuration())


if __name__ == '__main__':
    main()
