"""What a task costs: the documented formula, an instance's hourly rate for
each started minute, rounded to a hundredth of a cent."""
import pytest

from sevenbridges.emulator.state import prices


@pytest.mark.parametrize('instance, seconds, amount', [
    ('c5.2xlarge', 0.2, '0.0057'),       # one minute at least
    ('c5.2xlarge', 60, '0.0057'),
    ('c5.2xlarge', 60.5, '0.0113'),      # a started minute counts whole
    ('m5.4xlarge', 3600, '0.7680'),
    ('c4.2xlarge', 90, '0.0133'),
    ('z9.unknown', 30, '0.0057'),        # priced as the default instance
])
def test_a_run_costs_its_instances_rate_for_each_started_minute(
        instance, seconds, amount):
    assert prices.run_price(instance, seconds) == {
        'currency': 'USD', 'amount': amount,
        'breakdown': {'storage': '0.0000', 'computation': amount,
                      'data_transfer': '0.0000'}}


def test_a_batch_costs_the_sum_of_its_children():
    assert prices.total(['0.0057', '0.0113', None])['amount'] == '0.0170'
    assert prices.total([]) == prices.price() == {
        'currency': 'USD', 'amount': '0.0000',
        'breakdown': {'storage': '0.0000', 'computation': '0.0000',
                      'data_transfer': '0.0000'}}


def test_the_instance_is_the_tasks_then_the_apps_hint_then_the_default():
    hinted = {'hints': [{'class': 'sbg:AWSInstanceType',
                         'value': 'r5.4xlarge;ebs-gp2;1024'}]}
    asked = {'execution_settings': {'instance_type': 'm5.large'}}
    assert prices.instance_of(asked, hinted) == 'm5.large'
    assert prices.instance_of({}, hinted) == 'r5.4xlarge'
    assert prices.instance_of({}, {'hints': [{
        'class': 'sbg:AWSInstanceType', 'value': 'q1.odd'}]}) == \
        prices.DEFAULT_INSTANCE == 'c5.2xlarge'
    assert prices.unknown_instance(asked) is None
    assert prices.unknown_instance(
        {'execution_settings': {'instance_type': 'q1.odd'}}).startswith(
        "Instance type 'q1.odd' is not available; use one of c4.2xlarge, ")
