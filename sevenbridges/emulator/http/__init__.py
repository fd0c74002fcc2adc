"""Transport only: connections, the WSGI server, the storage listener's
server, the network profile and faults."""
