"""The machinery shared by every model: typed fields, resources with lazy
loading and change tracking, compound values, collections and the
argument transforms."""
