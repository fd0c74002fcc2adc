"""What a task costs in the emulator: a documented, deterministic formula.

A task runs on one instance: the ``instance_type`` of its
``execution_settings``, else the app's ``sbg:AWSInstanceType`` hint (when
the emulator knows that type), else :data:`DEFAULT_INSTANCE`. Its
computation costs the instance's hourly rate (:data:`HOURLY_RATES`, USD)
for each minute it ran, a started minute counting whole (at least one
minute once it has run)::

    amount = rate * max(1, ceil(seconds running / 60)) / 60

rounded half up to :data:`PRECISION`. Storage and data transfer cost
nothing here. A task that never ran costs ``0``; a batch parent costs the
sum of its children. Amounts are written as the platform writes them, as
decimal strings of four decimals (``{"currency": "USD", "amount":
"0.0057", "breakdown": {"storage": "0.0000", "computation": "0.0057",
"data_transfer": "0.0000"}}``).
"""
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Optional

#: The instance a task runs on when neither it nor its app names one.
DEFAULT_INSTANCE = 'c5.2xlarge'
#: USD per hour of each instance type the emulator offers (the on-demand
#: rates of AWS us-east-1).
HOURLY_RATES = {
    'c4.2xlarge': '0.398', 'c4.4xlarge': '0.796', 'c4.8xlarge': '1.591',
    'c5.large': '0.085', 'c5.xlarge': '0.17', 'c5.2xlarge': '0.34',
    'c5.4xlarge': '0.68', 'c5.9xlarge': '1.53', 'c5.18xlarge': '3.06',
    'm5.large': '0.096', 'm5.xlarge': '0.192', 'm5.2xlarge': '0.384',
    'm5.4xlarge': '0.768', 'm5.12xlarge': '2.304',
    'r5.large': '0.126', 'r5.xlarge': '0.252', 'r5.2xlarge': '0.504',
    'r5.4xlarge': '1.008', 'r5.12xlarge': '3.024',
}
#: Amounts are rounded to a hundredth of a cent.
PRECISION = Decimal('0.0001')


def requested_instance(task: dict) -> Optional[str]:
    """The instance type the task's ``execution_settings`` ask for."""
    return (task.get('execution_settings') or {}).get('instance_type')


def unknown_instance(task: dict) -> Optional[str]:
    """Why the task's ``instance_type`` can not be had, if so."""
    wanted = requested_instance(task)
    if wanted is None or wanted in HOURLY_RATES:
        return None
    return (f'Instance type {wanted!r} is not available; use one of '
            f'{", ".join(sorted(HOURLY_RATES))}.')


def instance_of(task: dict, raw: dict) -> str:
    """The instance type ``task`` of the app ``raw`` runs on."""
    wanted = requested_instance(task)
    if wanted in HOURLY_RATES:
        return wanted
    for hint in (raw.get('hints') or []) + (raw.get('requirements') or []):
        if isinstance(hint, dict) and \
                hint.get('class') == 'sbg:AWSInstanceType':
            hinted = str(hint.get('value', '')).split(';')[0]
            if hinted in HOURLY_RATES:
                return hinted
    return DEFAULT_INSTANCE


def _text(amount: Decimal) -> str:
    """``amount`` as the platform writes it: a decimal string, here to
    :data:`PRECISION`."""
    return str(amount.quantize(PRECISION, rounding=ROUND_HALF_UP))


def price(computation: Decimal = Decimal(0)) -> dict:
    """A task's ``price`` of ``computation`` USD."""
    return {'currency': 'USD', 'amount': _text(computation),
            'breakdown': {'storage': _text(Decimal(0)),
                          'computation': _text(computation),
                          'data_transfer': _text(Decimal(0))}}


def run_price(instance: str, seconds: float) -> dict:
    """The ``price`` of a run of ``seconds`` on ``instance``."""
    minutes = max(1, math.ceil(seconds / 60))
    rate = Decimal(HOURLY_RATES.get(instance,
                                    HOURLY_RATES[DEFAULT_INSTANCE]))
    return price((rate * minutes / 60).quantize(PRECISION,
                                                rounding=ROUND_HALF_UP))


def total(amounts: Iterable) -> dict:
    """The ``price`` of a batch parent: the sum of its children's amounts
    (decimal strings, ``None`` for nothing)."""
    return price(sum((Decimal(str(amount)) for amount in amounts
                      if amount is not None), Decimal(0)))
