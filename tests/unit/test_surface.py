"""Conformance with the reference surface (``shared/spec/surface.md``).

The surface document lists every public module, class, base, field, method
signature, constant and endpoint template of the reference SDK. When it is
present beside the repository (``../shared/spec/surface.md``, as in CI),
each implemented module is checked against it; modules not written yet are
skipped and listed.
"""
import importlib
import inspect
import os
import re

import pytest

SURFACE = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared',
                       'spec', 'surface.md')

MODULE = re.compile(r'^## module `([\w.]+)`')
CLASS = re.compile(r'^### class `(\w+)`\s+\(bases: ([^;]+); metaclass: (\w+)\)')
ENTRY = re.compile(r'^- (method|classmethod|staticmethod|function) '
                   r'`(\w+)\((.*)\)`')
PROPERTY = re.compile(r'^- property `(\w+)`')
FIELD = re.compile(r'^- `(\w+)`: (\w+)\((\w*)\) (read-only|writable)'
                   r'(?: \(JSON key `(\w+)`\))?')
CONSTANT = re.compile(r'^- `(\w+)` = `(.*)`$')
URL = re.compile(r'^- `(\w+)`: `(.*)`$')
RESOURCE = re.compile(r'^- resource attribute `(\w+)` = class `([\w.]+)`')


def parse_surface(path):
    """``{module: {'functions': {...}, 'classes': {name: {...}}}}``."""
    modules = {}
    module = cls = section = None
    with open(path, encoding='utf-8') as fp:
        for line in fp:
            line = line.rstrip('\n')
            if match := MODULE.match(line):
                module = modules.setdefault(match[1], {'functions': {},
                                                       'classes': {}})
                cls = None
                continue
            if match := CLASS.match(line):
                cls = module['classes'].setdefault(match[1], {
                    'bases': [b.strip() for b in match[2].split(',')],
                    'metaclass': match[3], 'methods': {}, 'properties': [],
                    'fields': {}, 'constants': {}, 'urls': {},
                    'resources': {}})
                continue
            if line.startswith(('Fields:', 'Methods:', 'Constants:',
                                'Endpoints')):
                section = line.split()[0].rstrip(':')
                continue
            if match := ENTRY.match(line):
                kind, name, params = match.groups()
                if cls is None:
                    module['functions'][name] = params
                else:
                    cls['methods'][name] = (kind, params)
            elif match := PROPERTY.match(line):
                cls['properties'].append(match[1])
            elif match := RESOURCE.match(line):
                cls['resources'][match[1]] = match[2]
            elif cls is not None and section == 'Fields' and \
                    (match := FIELD.match(line)):
                name, kind, argument, access, key = match.groups()
                cls['fields'][name] = (kind, access == 'read-only',
                                       key or name)
            elif cls is not None and section == 'Constants' and \
                    (match := CONSTANT.match(line)):
                cls['constants'][match[1]] = match[2]
            elif cls is not None and section == 'Endpoints' and \
                    (match := URL.match(line)):
                cls['urls'][match[1]] = match[2]
    return modules


def plain_parameters(func, reference=None):
    """The parameters of ``func`` as text, without annotations. Given the
    reference's parameters (text), keyword-only parameters with a default
    that the reference does not have are left out: they are additions."""
    known = None if reference is None else {
        part.split('=')[0].lstrip('*') for part in reference.split(', ')}
    parts = []
    for parameter in inspect.signature(func).parameters.values():
        if known is not None and parameter.name not in known and \
                parameter.kind is inspect.Parameter.KEYWORD_ONLY and \
                parameter.default is not inspect.Parameter.empty:
            continue
        parameter = parameter.replace(annotation=inspect.Parameter.empty)
        parts.append(str(parameter))
    return ', '.join(parts)


def describe_differences(module_name, spec):
    """Every difference between the module and the surface, as text."""
    module = importlib.import_module(module_name)
    problems = []
    for name, params in spec['functions'].items():
        function = getattr(module, name, None)
        if function is None:
            problems.append(f'missing function {name}')
        elif plain_parameters(function) != params:
            problems.append(f'{name}({plain_parameters(function)}) != '
                            f'({params})')
    for class_name, cls_spec in spec['classes'].items():
        cls = getattr(module, class_name, None)
        if cls is None:
            problems.append(f'missing class {class_name}')
            continue
        bases = [f'{b.__module__}.{b.__qualname__}'
                 if b.__module__ != 'builtins' else f'builtins.{b.__name__}'
                 for b in cls.__bases__]
        if bases != cls_spec['bases']:
            problems.append(f'{class_name} bases {bases} != '
                            f'{cls_spec["bases"]}')
        if type(cls).__name__ != cls_spec['metaclass']:
            problems.append(f'{class_name} metaclass {type(cls).__name__}')
        for method, (kind, params) in cls_spec['methods'].items():
            if method in ('__repr__', '__str__', '__eq__') and params in (
                    'self', 'self, other'):
                if not hasattr(cls, method):
                    problems.append(f'missing {class_name}.{method}')
                continue
            if not hasattr(cls, method):
                problems.append(f'missing {class_name}.{method}')
                continue
            raw = inspect.getattr_static(cls, method)
            if kind == 'classmethod' and not isinstance(raw, classmethod):
                problems.append(f'{class_name}.{method} is not a classmethod')
            if kind == 'staticmethod' and not isinstance(raw, staticmethod):
                problems.append(f'{class_name}.{method} is not static')
            function = raw.__func__ if isinstance(
                raw, (classmethod, staticmethod)) else raw
            if not callable(function):
                problems.append(f'{class_name}.{method} is not callable')
                continue
            try:
                actual = plain_parameters(function, params)
            except ValueError:  # a builtin (dict's own method) serves it
                continue
            if kind == 'classmethod':
                actual = actual.split(', ', 1)[1] if ', ' in actual else ''
                params = params.split(', ', 1)[1] if ', ' in params else ''
            if actual != params:
                problems.append(f'{class_name}.{method}({actual}) != '
                                f'({params})')
        for prop in cls_spec['properties']:
            if not isinstance(inspect.getattr_static(cls, prop, None),
                              property):
                problems.append(f'{class_name}.{prop} is not a property')
        fields = getattr(cls, '_fields', {})
        for attribute, (kind, read_only, key) in cls_spec['fields'].items():
            field = inspect.getattr_static(cls, attribute, None)
            if field is None or type(field).__name__ != kind:
                problems.append(f'{class_name}.{attribute} is not a {kind}')
                continue
            if field.read_only != read_only or field.name != key:
                problems.append(f'{class_name}.{attribute}: read_only='
                                f'{field.read_only}, key={field.name}')
            if fields.get(key) is not field:
                problems.append(f'{class_name}._fields lacks {key}')
        for constant, value in cls_spec['constants'].items():
            if value.startswith("'~/"):
                continue  # home paths: expanded, checked in test_config.py
            if repr(getattr(cls, constant, None)) != value:
                problems.append(f'{class_name}.{constant} != {value}')
        urls = getattr(cls, '_URL', {})
        for key, template in cls_spec['urls'].items():
            if urls.get(key) != template:
                problems.append(f'{class_name}._URL[{key!r}] != {template}')
        for attribute, target in cls_spec['resources'].items():
            wiring = inspect.getattr_static(cls, attribute, None)
            path = (f'{wiring.__module__}.{wiring.__name__}'
                    if wiring is not None else None)
            if path != target:
                problems.append(f'{class_name}.{attribute} is {path}')
    return problems


SPEC = parse_surface(SURFACE) if os.path.exists(SURFACE) else {}


def importable(module_name):
    try:
        importlib.import_module(module_name)
    except ModuleNotFoundError:
        return False
    return True


@pytest.mark.skipif(not SPEC, reason='shared/spec/surface.md is not present')
@pytest.mark.parametrize('module_name', sorted(SPEC))
def test_module_matches_the_surface(module_name):
    if module_name == 'sevenbridges':
        pytest.skip('top-level names are pinned in test_package.py')
    if not importable(module_name):
        pytest.skip(f'{module_name} is not implemented yet')
    assert describe_differences(module_name, SPEC[module_name]) == []
