"""The error answer of the emulated platform."""


class ApiError(Exception):
    """An error answer of the platform."""

    def __init__(self, status, message, code=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code if code is not None else status * 10 + 1

    def body(self):
        return {'status': self.status, 'code': self.code,
                'message': self.message,
                'more_info': f'https://docs.sevenbridges.com/docs/errors-'
                             f'{self.status}'}


def outcome(action, *args):
    """``{"resource": action(*args)}``, or ``{"error": ...}`` (the
    platform's error body) when the platform refuses it: one item of a
    bulk answer."""
    try:
        return {'resource': action(*args)}
    except ApiError as error:
        return {'error': error.body()}
