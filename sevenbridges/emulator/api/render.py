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
