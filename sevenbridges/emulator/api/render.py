"""How the API shows the platform's resources: a stored document without
its internal keys, with its ``href``."""


def base(request):
    """The API's root URL (``.../v2``) as the client called it."""
    return request.host_url.rstrip('/') + '/v2'


def public(doc):
    """A stored document without its internal keys (``_...``)."""
    return {key: value for key, value in doc.items()
            if not key.startswith('_')}


def resource(request, doc, path, key='id'):
    """``doc`` as the platform shows it, its ``href`` the URL of
    ``{path}/{doc[key]}``."""
    return dict(public(doc), href=f'{base(request)}/{path}/{doc[key]}')


def file_json(request, file):
    """A file or folder."""
    return resource(request, file, 'files')


def background_json(request, doc, path):
    """An import, export, DRS import or async file operation: its result
    files shown as files, and the keys it has no value for left out."""
    data = resource(request, doc, path)
    if isinstance(data.get('result'), dict):
        data['result'] = file_json(request, data['result'])
    elif isinstance(data.get('result'), list):
        data['result'] = [
            dict(entry, resource=file_json(request, entry['resource']))
            if 'resource' in entry else entry for entry in data['result']]
    for key in ('result', 'error', 'started_on', 'finished_on',
                'preserve_folder_structure'):
        if data.get(key) is None:
            data.pop(key, None)
    return data


def selected(data, fields, keep=('href',)):
    """``data`` as a ``fields`` query asks (a partial response): ``None``
    or ``_all`` is everything; otherwise comma-separated names, each a
    key (``status``), a key of a key (``price.amount``), or ``!key`` to
    leave a key out of everything else. The keys of ``keep`` always
    stay."""
    if not fields or fields == '_all':
        return data
    names = [name.strip() for name in fields.split(',') if name.strip()]
    left_out = {name[1:] for name in names if name.startswith('!')}
    wanted = [name for name in names if not name.startswith('!')]
    if not wanted:
        return {key: value for key, value in data.items()
                if key not in left_out}
    whole = {name for name in wanted if '.' not in name} - left_out
    answer = {key: data[key] for key in (*keep, *whole) if key in data}
    for name in wanted:
        key, _, inner = name.partition('.')
        value = data.get(key)
        if inner and key not in whole | left_out and \
                isinstance(value, dict) and inner in value:
            answer.setdefault(key, {})[inner] = value[inner]
    return answer
