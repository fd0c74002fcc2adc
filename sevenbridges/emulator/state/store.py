"""The emulator's state: JSON documents in SQLite, one writer at a time."""
import json
import sqlite3
import threading

SCHEMA = '''
CREATE TABLE IF NOT EXISTS docs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    project TEXT,
    parent TEXT,
    data TEXT NOT NULL,
    UNIQUE (collection, id)
);
CREATE INDEX IF NOT EXISTS docs_project ON docs (collection, project);
CREATE INDEX IF NOT EXISTS docs_parent ON docs (collection, parent);
CREATE INDEX IF NOT EXISTS docs_parent_name
    ON docs (collection, parent, json_extract(data, '$.name'));
CREATE INDEX IF NOT EXISTS docs_status
    ON docs (collection, json_extract(data, '$.status'));
'''


class Store:
    """Documents by collection and id, with ``project`` and ``parent``
    indexed. Every call is atomic; :meth:`transaction` groups calls."""

    def __init__(self, path):
        self._db = sqlite3.connect(path, check_same_thread=False,
                                   isolation_level=None)
        self._db.execute('PRAGMA journal_mode=WAL')
        # Commits write the log without waiting for the disk (fsync): the
        # state survives the emulator's crash, not the machine's.
        self._db.execute('PRAGMA synchronous=NORMAL')
        self._db.executescript(SCHEMA)
        self.lock = threading.RLock()

    def close(self):
        with self.lock:
            self._db.close()

    def transaction(self):
        """``with store.transaction():`` makes the calls inside one atomic
        change (the lock is re-entrant)."""
        return _Transaction(self)

    def put(self, collection, doc, project=None, parent=None):
        with self.lock:
            self._db.execute(
                'INSERT INTO docs (collection, id, project, parent, data) '
                'VALUES (?, ?, ?, ?, ?) ON CONFLICT (collection, id) DO '
                'UPDATE SET project=excluded.project, '
                'parent=excluded.parent, data=excluded.data',
                (collection, doc['id'], project, parent, json.dumps(doc)))
        return doc

    def get(self, collection, id):
        """The document ``id`` of ``collection`` (``None`` when there is
        none, or when ``id`` is not a string)."""
        if not isinstance(id, str):
            return None
        with self.lock:
            row = self._db.execute(
                'SELECT data FROM docs WHERE collection=? AND id=?',
                (collection, id)).fetchone()
        return json.loads(row[0]) if row else None

    def delete(self, collection, id):
        with self.lock:
            self._db.execute('DELETE FROM docs WHERE collection=? AND id=?',
                             (collection, id))

    def find(self, collection, project=None, parent=None, offset=0,
             limit=None):
        """Documents of a collection, oldest first, optionally of one
        project or parent, optionally ``limit`` of them from ``offset``."""
        where, args = self._where(collection, project, parent)
        query = f'SELECT data FROM docs WHERE {where} ORDER BY seq'
        if limit is not None or offset:
            query += ' LIMIT ? OFFSET ?'
            args += [-1 if limit is None else limit, offset]
        with self.lock:
            rows = self._db.execute(query, args).fetchall()
        return [json.loads(row[0]) for row in rows]

    def count(self, collection, project=None, parent=None):
        """How many documents :meth:`find` gives."""
        where, args = self._where(collection, project, parent)
        with self.lock:
            return self._db.execute(
                f'SELECT COUNT(*) FROM docs WHERE {where}', args).fetchone()[0]

    def find_named(self, collection, parent, name):
        """The documents of ``parent`` whose ``name`` is ``name`` (an
        index lookup, whatever the number of the parent's documents)."""
        with self.lock:
            rows = self._db.execute(
                "SELECT data FROM docs WHERE collection=? AND parent=? AND "
                "json_extract(data, '$.name')=? ORDER BY seq",
                (collection, parent, name)).fetchall()
        return [json.loads(row[0]) for row in rows]

    def summaries(self, collection, keys, statuses=None, parent=None):
        """The values of ``keys`` (dotted paths: ``price.amount``) of the
        documents of a collection whose ``status`` is one of ``statuses``
        (an index lookup), or of one ``parent``: ``{key: value}`` each,
        oldest first, read in SQL without loading the documents. The keys
        are the emulator's own names, never a client's (they are part of
        the SQL)."""
        where, args = self._where(collection, None, parent)
        if statuses is not None:
            where += (" AND json_extract(data, '$.status') IN "
                      f"({', '.join('?' * len(statuses))})")
            args += list(statuses)
        columns = ', '.join(
            f"json_extract(data, '$.{key}')" for key in keys)
        with self.lock:
            rows = self._db.execute(
                f'SELECT {columns} FROM docs WHERE {where} ORDER BY seq',
                args).fetchall()
        return [dict(zip(keys, row)) for row in rows]

    @staticmethod
    def _where(collection, project, parent):
        where, args = 'collection=?', [collection]
        if project is not None:
            where += ' AND project=?'
            args.append(project)
        if parent is not None:
            where += ' AND parent=?'
            args.append(parent)
        return where, args


class _Transaction:
    """A transaction; nested ones join the outermost."""

    def __init__(self, store):
        self.store = store

    def __enter__(self):
        store = self.store
        store.lock.acquire()
        store._depth = getattr(store, '_depth', 0) + 1
        if store._depth == 1:
            store._db.execute('BEGIN IMMEDIATE')
        return store

    def __exit__(self, kind, value, traceback):
        store = self.store
        try:
            store._depth -= 1
            if store._depth == 0:
                store._db.execute('ROLLBACK' if kind else 'COMMIT')
        finally:
            store.lock.release()
