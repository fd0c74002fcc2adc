"""``python -m sevenbridges``: the ``sbg`` command line."""
from sevenbridges.cli import console

if __name__ == '__main__':
    console()
