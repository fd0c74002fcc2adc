"""The items of a folder: pages of them, and the filters of a listing."""
# The query keys that filter the items of a folder.
FILTERS = ('name', 'tag')
FILTER_PREFIXES = ('metadata.', 'origin.')


class FolderListing:
    """The items of a folder, oldest first, as a sequence whose length is
    counted and whose slices are read from the store (a page of a folder
    of any size reads only that page).

    :param files: the :class:`~sevenbridges.emulator.state.files.Files`.
    :param folder_id: the folder.
    """

    def __init__(self, files, folder_id):
        self._files = files
        self._folder_id = folder_id
        self._count = None

    def __len__(self):
        if self._count is None:
            self._count = self._files.count_children(self._folder_id)
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError('A folder listing is read in slices.')
        start, stop, _ = index.indices(len(self))
        return self._files.children(self._folder_id, offset=start,
                                    limit=max(stop - start, 0))


def matches(file, filters):
    """Whether ``file`` passes the folder ``filters`` (a query's
    ``{key: [values]}``): one of its names, one of its tags, its
    ``metadata.<key>`` and ``origin.<key>`` values."""
    names = filters.get('name')
    if names and file['name'] not in names:
        return False
    tags = filters.get('tag')
    if tags and not set(tags) & set(file['tags']):
        return False
    for key, values in filters.items():
        if key.startswith('metadata.'):
            if str(file['metadata'].get(key[9:])) not in values:
                return False
        elif key.startswith('origin.'):
            if str((file.get('origin') or {}).get(key[7:])) not in values:
                return False
    return True
