"""Packaging of sevenbridges-python."""
import os

from setuptools import find_packages, setup

HERE = os.path.abspath(os.path.dirname(__file__))

version = {}
with open(os.path.join(HERE, 'sevenbridges', 'version.py')) as fp:
    exec(fp.read(), version)

with open(os.path.join(HERE, 'README.rst'), encoding='utf-8') as fp:
    long_description = fp.read()

setup(
    name='sevenbridges-python',
    version=version['__version__'],
    description='Python SDK of the Seven Bridges public API, with a local '
                'emulator of the platform',
    long_description=long_description,
    long_description_content_type='text/x-rst',
    license='Apache-2.0',
    python_requires='>=3.9',
    packages=find_packages(include=['sevenbridges', 'sevenbridges.*']),
    package_data={'sevenbridges': ['py.typed']},
    install_requires=[
        'requests>=2.25.1',
        'python-dateutil>=2.8.1',
    ],
    extras_require={
        'test': ['pytest>=7', 'responses>=0.23', 'tqdm>=4',
                 'requests-mock>=1.10', 'faker>=18',
                 # sbg:// with the PyData stack (tests/fs).
                 'fsspec>=2024.12', 'pandas>=1.5', 'pyarrow>=12',
                 'dask[dataframe]>=2023.1', 'distributed>=2023.1'],
        'fs': ['fsspec>=2024.12'],
        'emulator': ['werkzeug>=2.2', 'trustme>=1.0'],
        'emulator-cwl': ['cwltool>=3.1'],
        'cli': ['click>=8.1', 'rich>=13'],
        'docs': ['sphinx>=7'],
        'lint': ['ruff>=0.4', 'mypy>=1.8', 'types-requests', 'build',
                 'types-python-dateutil'],
    },
    entry_points={
        'console_scripts': ['sbg = sevenbridges.cli:console'],
        'pytest11': ['sevenbridges_emulator = '
                     'sevenbridges.emulator.pytest_plugin'],
        'fsspec.specs': [
            'sbg = sevenbridges.fs:SevenBridgesFileSystem',
            'sevenbridges = sevenbridges.fs:SevenBridgesFileSystem',
        ],
    },
    classifiers=[
        'Development Status :: 4 - Beta',
        'Intended Audience :: Developers',
        'Intended Audience :: Science/Research',
        'Programming Language :: Python :: 3',
        'Programming Language :: Python :: 3 :: Only',
        'Programming Language :: Python :: 3.9',
        'Programming Language :: Python :: 3.10',
        'Programming Language :: Python :: 3.11',
        'Programming Language :: Python :: 3.12',
        'Programming Language :: Python :: 3.13',
        'Topic :: Scientific/Engineering :: Bio-Informatics',
    ],
)
