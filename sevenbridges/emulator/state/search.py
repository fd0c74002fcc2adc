"""``POST /files/search``: the files a user can read that match a query.

The emulator reads a small SQL-like language::

    SELECT * FROM files WHERE project = 'rfranklin/demo'
        AND metadata.sample_id IN ('S1', 'S2') AND name LIKE '%.bam'

``SELECT`` takes ``*`` or a list of fields; ``WHERE`` (optional) takes
conditions joined by ``AND``, each ``<field> <op> <value>`` with ``=``,
``!=``, ``IN (...)`` or ``LIKE`` (``%`` any text, ``_`` one character).
Fields are the file's keys (``id``, ``name``, ``type``, ``size``,
``project``, ``parent``, ``created_on``, ``modified_on``), ``tags`` (a
condition on it holds when one tag does) and ``metadata.<key>`` or
``origin.<key>``. Without a ``project`` condition the search covers the
projects the user is a member of. Anything else is a 400 naming what was
not understood.
"""
import re

from sevenbridges.emulator.state.errors import ApiError

MAX_LIMIT = 1000
_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:[^']|'')*'|"(?:[^"]|"")*")
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<op>!=|<>|=|\(|\)|,|\*)
  | (?P<word>[A-Za-z_][\w.]*)
)""", re.VERBOSE)
_FIELDS = ('id', 'name', 'type', 'size', 'project', 'parent', 'tags',
           'created_on', 'modified_on')


def _invalid(message):
    return ApiError(400, f'Invalid search query: {message}.', 9000)


def _tokens(query):
    position, found = 0, []
    while position < len(query.rstrip()):
        match = _TOKEN.match(query, position)
        if not match:
            raise _invalid(f'unexpected text at {query[position:][:20]!r}')
        kind = match.lastgroup
        text = match.group(kind)
        if kind == 'string':
            text = text[1:-1].replace(text[0] * 2, text[0])
        elif kind == 'number':
            text = float(text) if '.' in text else int(text)
        found.append((kind, text))
        position = match.end()
    return found


class _Reader:
    """The tokens of a query, read from the left."""

    def __init__(self, query):
        self.tokens = _tokens(query)
        self.at = 0

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) \
            else (None, None)

    def take(self, kind=None, word=None):
        found_kind, text = self.peek()
        if found_kind is None or (kind and found_kind != kind) or \
                (word and str(text).upper() != word):
            wanted = word or {'word': 'a name', 'op': 'a symbol'}.get(
                kind, 'more')
            found = 'the end' if found_kind is None else repr(text)
            raise _invalid(f'expected {wanted} but found {found}')
        self.at += 1
        return text

    def symbol(self, char):
        found = self.take('op')
        if found != char:
            raise _invalid(f'expected {char!r} but found {found!r}')

    def keyword(self, word):
        kind, text = self.peek()
        if kind == 'word' and text.upper() == word:
            self.at += 1
            return True
        return False


def _field(name):
    if name in _FIELDS or re.fullmatch(r'(metadata|origin)\.\w[\w.-]*',
                                       name):
        return name
    raise _invalid(f'unknown field {name!r} (use {", ".join(_FIELDS)}, '
                   f'metadata.<key> or origin.<key>)')


def _value(reader):
    kind, text = reader.peek()
    if kind not in ('string', 'number'):
        raise _invalid(f'expected a value but found {text!r}')
    reader.at += 1
    return text


def parse(query):
    """``(fields or None for *, [(field, op, values)])``."""
    reader = _Reader(query)
    reader.take('word', 'SELECT')
    fields = None
    if reader.peek() == ('op', '*'):
        reader.take()
    else:
        fields = [_field(reader.take('word'))]
        while reader.peek() == ('op', ','):
            reader.take()
            fields.append(_field(reader.take('word')))
    reader.take('word', 'FROM')
    reader.take('word', 'FILES')
    conditions = []
    if reader.keyword('WHERE'):
        while True:
            name = _field(reader.take('word'))
            if reader.keyword('IN'):
                reader.symbol('(')
                values = [_value(reader)]
                while reader.peek() == ('op', ','):
                    reader.take()
                    values.append(_value(reader))
                reader.symbol(')')
                conditions.append((name, 'IN', values))
            elif reader.keyword('LIKE'):
                conditions.append((name, 'LIKE', [_value(reader)]))
            else:
                op = reader.take('op')
                if op not in ('=', '!=', '<>'):
                    raise _invalid(f'unknown operator {op!r}')
                conditions.append((name, '=' if op == '=' else '!=',
                                   [_value(reader)]))
            if not reader.keyword('AND'):
                break
    if reader.peek()[0] is not None:
        raise _invalid(f'unexpected {reader.peek()[1]!r} (conditions are '
                       f'joined with AND)')
    return fields, conditions


def _read(file, name):
    if '.' in name:
        section, key = name.split('.', 1)
        return (file.get(section) or {}).get(key)
    return file.get(name)


def _like(pattern):
    parts = {'%': '.*', '_': '.'}
    return re.compile(''.join(parts.get(char, re.escape(char))
                              for char in str(pattern)), re.IGNORECASE | re.S)


def _holds(file, condition):
    name, op, values = condition
    found = _read(file, name)
    candidates = found if isinstance(found, list) else [found]
    wanted = {str(value) for value in values}
    if op == 'LIKE':
        pattern = _like(values[0])
        return any(pattern.fullmatch(str(item)) for item in candidates
                   if item is not None)
    matched = any(str(item) in wanted for item in candidates
                  if item is not None)
    return matched if op in ('=', 'IN') else not matched


def _projects(projects, user, conditions):
    """The projects to search: those a ``project =`` condition names
    (read access checked), else the user's."""
    for name, op, values in conditions:
        if name == 'project' and op in ('=', 'IN'):
            return [projects.get(user, str(value))['id']
                    for value in values]
    return [project['id'] for project in projects.of(user)]


def search(files, user, query, cont_token, limit, render):
    """The answer of ``POST /files/search``: ``count``, ``cont_token`` and
    a page of ``result_set``.

    :param files: the :class:`~sevenbridges.emulator.state.files.Files`
        searched.
    """
    if not 0 < limit <= MAX_LIMIT:
        raise ApiError(400, f'limit must be 1 to {MAX_LIMIT}.', 9000)
    try:
        start = int(cont_token, 16) if cont_token else 0
    except ValueError:
        raise ApiError(400, 'Invalid continuation token.', 9000) from None
    fields, conditions = parse(query)
    matches = [file for project in _projects(files.projects, user,
                                             conditions)
               for file in files.of_project(project)
               if all(_holds(file, condition) for condition in conditions)]
    page = [render(file) for file in matches[start:start + limit]]
    if fields is not None:
        page = [{name: _read(entry, name) for name in fields}
                for entry in page]
    following = start + limit
    return {'count': len(matches), 'result_set': page,
            'cont_token': format(following, 'x')
            if following < len(matches) else None}
