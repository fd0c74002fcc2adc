"""What the three billing-group breakdowns share."""


def breakdown_query(breakdown):
    """The ``query`` class method of a breakdown whose path ends with
    ``breakdown`` (``analysis``, ``storage`` or ``egress``)."""

    def query(cls, bg_id, api=None, date_from=None, date_to=None,
              invoice_id=None, fields=None, offset=None, limit=None):
        return cls._query(
            url=cls._URL['query'].format(id=bg_id), api=api or cls._API,
            date_from=date_from, date_to=date_to, invoice_id=invoice_id,
            fields=fields, offset=offset, limit=limit)

    query.__doc__ = f"""The {breakdown} costs of a billing group.

        :param bg_id: the billing group id.
        :param api: the client (default: the one the class is bound to).
        :param date_from: start date, ``MM-DD-YYYY``.
        :param date_to: end date, ``MM-DD-YYYY``.
        :param invoice_id: only the costs of this invoice.
        :param fields: the fields to return.
        :param offset: pagination offset.
        :param limit: page size.
        """
    return classmethod(query)

